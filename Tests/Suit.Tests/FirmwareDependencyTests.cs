using SecureOta.Core.Cbor;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using Xunit;

namespace SecureOta.Suit.Tests;

/// <summary>
/// A firmware dependency (docs/data-set-format.md 1c): an application data set names ["nanoclr"] as its
/// last component and checks suit-condition-version against suit-parameter-version [greater-equal,
/// version] (draft-ietf-suit-update-management, both 28). The device refuses it while its firmware is older.
/// </summary>
public sealed class FirmwareDependencyTests : IDisposable
{
    private readonly TestDataSets _sets = new();
    private readonly byte[] _image = Enumerable.Range(0, 3000).Select(i => (byte)(i * 11)).ToArray();

    public void Dispose() => _sets.Dispose();

    private DevicePolicy Running(params long[]? version)
    {
        var p = _sets.Policy();
        p.FirmwareVersion = version;
        return p;
    }

    private static SuitManifest Parse(byte[] dataSet)
    {
        Assert.True(SuitEnvelopeReader.Read(dataSet, Math.Min(dataSet.Length, SuitEnvelopeReader.MaxHeaderLength), dataSet.Length, out var envelope).IsOk);
        using var sha = new DotNetSha256();
        var parsed = SuitManifestParser.Parse(envelope, sha);
        Assert.True(parsed.IsOk, parsed.ToString());
        return envelope.Manifest;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheDependency_IsWrittenAsTheDraftsVersionCondition_AndReadBack(bool encrypt)
    {
        var dataSet = _sets.Build(_image, encrypt: encrypt, requiresFirmware: [1, 12, 0]);
        var m = Parse(dataSet);
        Assert.Equal(encrypt ? 2 : 1, m.DependencyIndex);
        Assert.True(m.ComponentIs(m.DependencyIndex, "nanoclr"));
        Assert.Equal(new long[] { 1, 12, 0 }, m.RequiredFirmware);
        Assert.Equal(SuitLabels.VersionComparisonGreaterEqual, m.Parameters[m.DependencyIndex].VersionComparison);
        Assert.Contains(SuitLabels.ConditionVersion, m.SharedSequence.Commands);
        Assert.Equal(encrypt, m.IsEncryptedShape);
        Assert.False(m.IsPair);
        // The image's own parameters are where a single-image data set has them.
        Assert.Equal(_image.Length, m.Parameters[0].ImageSize);
        Assert.Null(m.Parameters[m.DependencyIndex].ImageDigest);
        // override-parameters {28: << [2, [1, 12, 0]] >>}: the bytes update-management's CDDL describes.
        Assert.True(dataSet.AsSpan().IndexOf(new byte[] { 0xA1, 0x18, 0x1C, 0x46, 0x82, 0x02, 0x83, 0x01, 0x0C, 0x00, 0x18, 0x1C, 0x0F }) > 0);
    }

    [Theory]
    [InlineData(new long[] { 1, 12, 0 }, true)]
    [InlineData(new long[] { 1, 12 }, true)]           /* a missing part counts as 0 */
    [InlineData(new long[] { 1, 12, 0, 0 }, true)]
    [InlineData(new long[] { 1, 12, 1 }, true)]
    [InlineData(new long[] { 1, 13 }, true)]
    [InlineData(new long[] { 2, 0, 0 }, true)]
    [InlineData(new long[] { 1, 11, 99, 99 }, false)]
    [InlineData(new long[] { 1, 9, 0 }, false)]        /* parts compare as numbers: 9 < 12 */
    [InlineData(new long[] { 0, 99 }, false)]
    public void TheDeviceCompares_PartByPart(long[] running, bool accepted)
    {
        var dataSet = _sets.Build(_image, requiresFirmware: [1, 12, 0]);
        var r = _sets.Check(dataSet, policy: Running(running));
        Assert.Equal(accepted ? SuitError.None : SuitError.FirmwareTooOld, r.Error);
        if (!accepted) Assert.Contains("install the firmware first", r.Message);
    }

    [Fact]
    public void AnUnknownFirmwareVersion_FailsClosed()
    {
        var r = _sets.Check(_sets.Build(_image, requiresFirmware: [1]), policy: Running(null));
        Assert.Equal(SuitError.FirmwareTooOld, r.Error);
        Assert.Contains("unknown version", r.Message);
        // Without a dependency the version does not matter.
        Assert.True(_sets.Check(_sets.Build(_image), policy: Running(null)).IsOk);
    }

    [Fact]
    public void TheBuilder_RefusesADependencyWhereItMeansNothing()
    {
        Assert.Throws<ArgumentException>(() => _sets.Build(_image, component: "nanoclr", requiresFirmware: [1]));
        Assert.Throws<ArgumentException>(() => _sets.Build(_image, requiresFirmware: []));
        Assert.Throws<ArgumentException>(() => _sets.Build(_image, requiresFirmware: [1, 2, 3, 4, 5]));
        Assert.Throws<ArgumentException>(() => _sets.Build(_image, requiresFirmware: [-1]));
        Assert.Throws<ArgumentException>(() => _sets.Build(_image, requiresFirmware: [0x80000000L]));
    }

    [Fact]
    public void AnotherComparison_IsNotTheProfile_EvenWhenSigned()
    {
        // greater-equal (2) rewritten to lesser (5), then signed again by the vendor: a SUIT processor
        // would compare differently; the profile refuses it.
        var dataSet = _sets.Build(_image, requiresFirmware: [1, 12, 0]);
        var at = dataSet.AsSpan().IndexOf(new byte[] { 0x46, 0x82, 0x02, 0x83 });
        Assert.True(at > 0);
        dataSet[at + 2] = 0x05;
        var resigned = Resign(dataSet);
        Assert.Equal(SuitError.MissingField, _sets.Check(resigned, policy: Running(9)).Error);
    }

    // The envelope signed again over its (changed) manifest: what a vendor's key would produce.
    private byte[] Resign(byte[] dataSet)
    {
        Assert.True(SuitEnvelopeReader.Read(dataSet, Math.Min(dataSet.Length, SuitEnvelopeReader.MaxHeaderLength), dataSet.Length, out var envelope).IsOk);
        var manifest = dataSet.AsSpan(envelope.ManifestOffset, envelope.ManifestLength).ToArray();
        using var sha = new DotNetSha256();
        var signature = new SecureOta.UpdateTool.DataSets.LocalKeySigner(_sets.Key).Sign(SuitBuilder.ToBeSigned(sha, manifest));
        var header = SuitBuilder.BuildEnvelopeHeader(sha, manifest, signature, envelope.PayloadKey, envelope.PayloadLength);
        return [.. header, .. dataSet.AsSpan((int)envelope.PayloadOffset, (int)envelope.PayloadLength).ToArray()];
    }
}

using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using Xunit;

namespace SecureOta.Suit.Tests;

/// <summary>Data sets built with the shared codec are accepted by the same codec, plain and encrypted.</summary>
public sealed class DataSetRoundTripTests : IDisposable
{
    private readonly TestDataSets _sets = new();

    public void Dispose() => _sets.Dispose();

    private static byte[] Image(int size, int seed = 1)
    {
        var image = new byte[size];
        new Random(seed).NextBytes(image);
        return image;
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(4096, false)]
    [InlineData(100_003, false)]
    [InlineData(1, true)]
    [InlineData(100_003, true)]
    public void BuiltDataSet_PassesEveryCheck(int size, bool encrypt)
    {
        var dataSet = _sets.Build(Image(size), encrypt: encrypt);
        var result = _sets.Check(dataSet);
        Assert.True(result.IsOk, result.ToString());
    }

    [Fact]
    public void BuiltManifest_CarriesWhatWasAsked()
    {
        var image = Image(1000);
        var dataSet = _sets.Build(image, sequence: 42, component: "nanoclr", version: "2.0.1-rc.1", encrypt: true);
        SuitEnvelopeReader.Read(dataSet, dataSet.Length, dataSet.Length, out var envelope);
        using var sha = new DotNetSha256();
        Assert.True(SuitManifestParser.Parse(envelope, sha).IsOk);
        var m = envelope.Manifest;
        Assert.Equal(42, m.SequenceNumber);
        Assert.Equal("nanoclr", m.ComponentName);
        Assert.Equal("2.0.1-rc.1", m.TextVersion);
        Assert.Equal("vendor.example", m.TextVendorDomain);
        Assert.Equal(1000, m.Parameters[0].ImageSize);
        // Encrypted: fetched into the ciphertext component (1), decrypted by the copy into the target (0).
        Assert.Equal(2, m.Components.Length);
        Assert.Equal("ciphertext"u8.ToArray(), m.Components[1][0]);
        Assert.Equal("#image", m.Parameters[1].Uri);
        Assert.Same(m.Parameters[1], m.FetchParameters);
        Assert.Null(m.Parameters[1].EncryptionInfo);
        Assert.NotNull(m.Parameters[0].EncryptionInfo);
        Assert.Equal(1, m.Parameters[0].SourceComponent);
        Assert.True(m.Install.Contains(SuitLabels.DirectiveCopy));
        Assert.Equal(dataSet.Length - 1000, envelope.HeaderLength);
        Assert.True(envelope.HeaderLength <= SuitEnvelopeReader.MaxHeaderLength);
    }

    [Theory]
    [InlineData("https://cdn.vendor.example/p/1", true)]
    [InlineData("http://10.0.0.2:8080/payloads/ab", true)]
    [InlineData("#image", false)]            // names an integrated payload the envelope does not carry
    [InlineData("ftp://cdn.vendor.example/p", false)]
    [InlineData("https:///p", false)]        // no host
    [InlineData("https://cdn/a b", false)]   // whitespace
    [InlineData("payloads/p1", false)]       // relative
    public void ADetachedDataSet_IsInstallableOnlyWithAnAbsoluteHttpUri(string uri, bool installable)
    {
        var dataSet = _sets.Build(Image(2000), detachedUri: uri);
        Assert.True(SuitEnvelopeReader.Read(dataSet, dataSet.Length, dataSet.Length, out var envelope).IsOk);
        Assert.False(envelope.HasIntegratedPayload);
        using var sha = new DotNetSha256();
        Assert.True(SuitManifestParser.Parse(envelope, sha).IsOk);
        var profile = SuitProfile.Check(envelope);
        Assert.True(profile.IsOk == installable, profile.ToString());
        if (!installable) Assert.Equal(SuitError.PayloadMisplaced, profile.Error);
    }

    [Fact]
    public void EncryptedPayload_IsNotThePlaintext()
    {
        var image = Image(5000);
        var dataSet = _sets.Build(image, encrypt: true);
        Assert.False(dataSet.AsSpan(dataSet.Length - 5000).SequenceEqual(image));
    }

    [Fact]
    public void EachDataSet_GetsItsOwnKek()
    {
        // Same image, same master secret: the salts differ, so do the encryption infos and payloads.
        var image = Image(3000);
        var a = _sets.Build(image, encrypt: true);
        var b = _sets.Build(image, encrypt: true);
        Assert.False(a.AsSpan(a.Length - 3000).SequenceEqual(b.AsSpan(b.Length - 3000)));
    }

    [Fact]
    public void KekDerivation_IsTheTls12PrfOverLabelSaltAndClass()
    {
        var salt = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var cls = Enumerable.Range(100, 16).Select(i => (byte)i).ToArray();
        var data = KekDerivation.DerivationData(salt, cls);
        Assert.Equal("SecureOTA update KEK v1"u8.ToArray(), data[..23]);
        Assert.Equal(salt, data[23..55]);
        Assert.Equal(cls, data[55..]);
        using var sha = new DotNetSha256();
        var master = new byte[32];
        // Independent P_SHA256 from .NET's HMAC: A(1) = HMAC(secret, seed); out = HMAC(secret, A(1) || seed).
        var a1 = System.Security.Cryptography.HMACSHA256.HashData(master, data);
        byte[] chained = [.. a1, .. data];
        var expected = System.Security.Cryptography.HMACSHA256.HashData(master, chained)[..16];
        Assert.Equal(expected, KekDerivation.DeriveKek(sha, master, salt, cls));
    }
}

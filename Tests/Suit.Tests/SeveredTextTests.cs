using SecureOta.Core.Cbor;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using Xunit;

namespace SecureOta.Suit.Tests;

/// <summary>
/// Severable text (manifest-37 8.4.4, a SHOULD): the manifest carries the SUIT_Digest of the
/// bstr-wrapped text map, the envelope the text as member 23. Readers check the member against the
/// signed digest; the canonical form includes it, so exactly one encoding of each data set is accepted.
/// </summary>
public sealed class SeveredTextTests : IDisposable
{
    private readonly TestDataSets _sets = new();
    private readonly byte[] _image = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();

    public void Dispose() => _sets.Dispose();

    private static SuitEnvelope Read(byte[] dataSet)
    {
        Assert.True(SuitEnvelopeReader.Read(dataSet, Math.Min(dataSet.Length, SuitEnvelopeReader.MaxHeaderLength), dataSet.Length, out var envelope).IsOk);
        return envelope;
    }

    [Fact]
    public void ASeveredText_PassesEveryCheck_AndReadsBack()
    {
        var dataSet = _sets.Build(_image, version: "4.5.6", severText: true);
        Assert.True(_sets.Check(dataSet).IsOk, _sets.Check(dataSet).ToString());
        var envelope = Read(dataSet);
        Assert.True(envelope.SeveredTextWrappedOffset > 0);
        using var sha = new DotNetSha256();
        Assert.True(SuitManifestParser.Parse(envelope, sha).IsOk);
        Assert.True(envelope.Manifest.TextSevered);
        Assert.Equal("4.5.6", envelope.Manifest.TextVersion);
        Assert.Equal("vendor.example", envelope.Manifest.TextVendorDomain);
        // The manifest holds no text, only the digest.
        var manifest = dataSet.AsSpan(envelope.ManifestOffset, envelope.ManifestLength).ToArray();
        Assert.Equal(-1, manifest.AsSpan().IndexOf("4.5.6"u8));
    }

    [Fact]
    public void AChangedSeveredText_IsRefused()
    {
        var dataSet = _sets.Build(_image, version: "4.5.6", severText: true);
        int at = dataSet.AsSpan().LastIndexOf("4.5.6"u8);
        dataSet[at + 4] = (byte)'7';
        Assert.Equal(SuitError.SeveredMemberMismatch, _sets.Check(dataSet).Error);
    }

    [Fact]
    public void ADigestWithoutItsMember_IsNotInstallable()
    {
        // The severed data set's header with member 23 taken out (the map count lowered to match).
        var dataSet = _sets.Build(_image, severText: true);
        var envelope = Read(dataSet);
        var withoutText = dataSet[..envelope.SeveredTextWrappedOffset].Concat(dataSet[(envelope.SeveredTextWrappedOffset + envelope.SeveredTextWrappedLength)..]).ToArray();
        Assert.Equal(0xA4, withoutText[2]); /* map(4): auth, manifest, 23, payload */
        withoutText[2] = 0xA3;
        // The key 0x17 that preceded the member is still there: take it out too.
        int key = envelope.SeveredTextWrappedOffset - 1;
        Assert.Equal(0x17, withoutText[key]);
        withoutText = withoutText[..key].Concat(withoutText[(key + 1)..]).ToArray();
        var r = _sets.Check(withoutText);
        Assert.False(r.IsOk);
        Assert.Equal(SuitError.NotCanonical, r.Error);
    }

    [Fact]
    public void AnInlineTextWithAMember23_IsRefused()
    {
        // An inline-text data set given an extra member 23: the envelope carries what the manifest does not name.
        var plain = _sets.Build(_image);
        var envelope = Read(plain);
        var member = new CborWriter();
        member.WriteInt64(23);
        member.WriteByteString([0xA0]);
        int insertAt = envelope.ManifestWrappedOffset + envelope.ManifestWrappedLength;
        var changed = plain[..insertAt].Concat(member.ToArray()).Concat(plain[insertAt..]).ToArray();
        changed[2]++; /* map(3) -> map(4) */
        Assert.Equal(SuitError.SeveredMemberMismatch, _sets.Check(changed).Error);
    }
}

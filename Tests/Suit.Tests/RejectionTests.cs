using System.Security.Cryptography;
using SecureOta.Core.Cbor;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using Xunit;

namespace SecureOta.Suit.Tests;

/// <summary>
/// Every rejection path: tampering anywhere, the wrong key, truncation at every length, absurd
/// lengths, wrong identity, rollback. Each must end in a typed error, never success and never an
/// exception.
/// </summary>
public sealed class RejectionTests : IDisposable
{
    private readonly TestDataSets _sets = new();
    private readonly byte[] _image;
    private readonly byte[] _plain;
    private readonly byte[] _encrypted;

    public RejectionTests()
    {
        _image = new byte[2000];
        new Random(4).NextBytes(_image);
        _plain = _sets.Build(_image);
        _encrypted = _sets.Build(_image, encrypt: true);
    }

    public void Dispose() => _sets.Dispose();

    private static SuitEnvelope Envelope(byte[] dataSet)
    {
        Assert.True(SuitEnvelopeReader.Read(dataSet, dataSet.Length, dataSet.Length, out var envelope).IsOk);
        return envelope;
    }

    private static byte[] Flip(byte[] data, int bit)
    {
        var copy = (byte[])data.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    /// <summary>The same data set with s replaced by n - s: the signature still verifies, the bytes differ.</summary>
    public static byte[] HighSTwin(byte[] dataSet)
    {
        var env = Envelope(dataSet);
        var signature = env.Signatures[0].Signature;
        int at = dataSet.AsSpan().IndexOf(signature);
        var twin = (byte[])dataSet.Clone();
        SecureOta.Core.Cose.Es256Signature.WithNegatedS(signature).CopyTo(twin, at);
        return twin;
    }

    [Fact]
    public void AHighSTwinOfAGoodDataSet_IsNotCanonical()
    {
        // issue 17, F1: it verified in update-tool, the server and the boot stage before
        Assert.True(_sets.Check(_plain).IsOk);
        var twin = HighSTwin(_plain);
        Assert.NotEqual(_plain, twin);
        Assert.Equal(SuitError.NotCanonical, _sets.Check(twin).Error);
    }

    [Fact]
    public void FlippedBitInTheManifest_IsRejected()
    {
        var env = Envelope(_plain);
        int start = env.ManifestOffset * 8, end = (env.ManifestOffset + env.ManifestLength) * 8;
        for (int bit = start; bit < end; bit++)
        {
            var result = _sets.Check(Flip(_plain, bit));
            Assert.Equal(SuitError.ManifestDigestMismatch, result.Error);
        }
    }

    [Fact]
    public void FlippedBitInTheSignature_IsRejected()
    {
        var env = Envelope(_plain);
        // The signature is the last element of the authentication wrapper, just before the manifest's key (03).
        int sigStart = env.ManifestWrappedOffset - 1 - 64;
        Assert.Equal(env.Signatures[0].Signature, _plain[sigStart..(sigStart + 64)]);
        for (int bit = sigStart * 8; bit < (sigStart + 64) * 8; bit += 3)
            Assert.Equal(SuitError.BadSignature, _sets.Check(Flip(_plain, bit)).Error);
    }

    [Fact]
    public void FlippedBitInTheAuthenticationDigest_IsRejected()
    {
        var env = Envelope(_plain);
        // The digest bytes follow the 4-byte encoding prefix 82 2f 58 20.
        for (int bit = (env.AuthDigestEncodedOffset + 4) * 8; bit < (env.AuthDigestEncodedOffset + env.AuthDigestEncodedLength) * 8; bit += 5)
            Assert.Equal(SuitError.ManifestDigestMismatch, _sets.Check(Flip(_plain, bit)).Error);
    }

    [Fact]
    public void FlippedBitAnywhereInTheHeader_NeverPasses()
    {
        var env = Envelope(_plain);
        for (int bit = 0; bit < env.HeaderLength * 8; bit++)
            Assert.False(_sets.Check(Flip(_plain, bit)).IsOk, $"bit {bit} flipped was accepted");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FlippedBitInThePayload_IsRejected(bool encrypted)
    {
        var dataSet = encrypted ? _encrypted : _plain;
        var env = Envelope(dataSet);
        for (int bit = (int)env.PayloadOffset * 8; bit < dataSet.Length * 8; bit += 97)
            Assert.Equal(SuitError.PayloadDigestMismatch, _sets.Check(Flip(dataSet, bit)).Error);
    }

    [Fact]
    public void TheWrongKey_IsRejected()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(SuitError.BadSignature, _sets.Check(_plain, key: other).Error);
    }

    [Fact]
    public void TheWrongMasterSecret_IsRejected()
    {
        Assert.Equal(SuitError.DecryptionFailed, _sets.Check(_encrypted, masterSecret: new byte[32]).Error);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedAtEveryLength_IsRejectedWithoutAnException(bool encrypted)
    {
        var dataSet = encrypted ? _encrypted : _plain;
        for (int length = 0; length < dataSet.Length; length++)
        {
            var result = _sets.Check(dataSet[..length]);
            Assert.False(result.IsOk, $"truncated to {length} bytes was accepted");
            Assert.True(result.Error is SuitError.Truncated or SuitError.NotAnEnvelope, $"at {length}: {result}");
        }
    }

    [Fact]
    public void TrailingBytes_AreRejected()
    {
        Assert.Equal(SuitError.PayloadMisplaced, _sets.Check([.. _plain, 0]).Error);
    }

    [Fact]
    public void AbsurdPayloadLength_IsRejected()
    {
        var env = Envelope(_plain);
        // Rewrite the payload's bstr header to claim 2^40 bytes.
        var w = new CborWriter();
        w.WriteByteStringHeader(1L << 40);
        var header = _plain[..((int)env.PayloadOffset - 3)]; // 59 07 d0 = bstr(2000)
        var forged = header.Concat(w.ToArray()).Concat(_image).ToArray();
        var result = _sets.Check(forged);
        Assert.Equal(SuitError.ImageTooLarge, result.Error);
    }

    [Fact]
    public void AbsurdLengthsInsideTheEnvelope_AreRejected()
    {
        // 107({2: bstr of 2^32-1 bytes})
        byte[] hugeBstr = [0xD8, 0x6B, 0xA1, 0x02, 0x5A, 0xFF, 0xFF, 0xFF, 0xFF, 0x00];
        Assert.Equal(SuitError.Truncated, _sets.Check(hugeBstr).Error);
        // 107(map of 2^63 pairs)
        byte[] hugeMap = [0xD8, 0x6B, 0xBB, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        Assert.Equal(SuitError.Truncated, _sets.Check(hugeMap).Error);
        // indefinite-length map
        byte[] indefinite = [0xD8, 0x6B, 0xBF, 0xFF];
        Assert.Equal(SuitError.Malformed, _sets.Check(indefinite).Error);
    }

    [Fact]
    public void HeaderLargerThan4KiB_IsRejected()
    {
        using var sha = new DotNetSha256();
        var spec = new SuitManifestSpec
        {
            SequenceNumber = 5, Component = "deploy", VendorId = _sets.VendorId, ClassId = _sets.ClassId,
            ImageDigest = SHA256.HashData(_image), ImageSize = _image.Length, Version = new string('9', 4200),
        };
        var manifest = SuitBuilder.BuildManifest(spec);
        var header = SuitBuilder.BuildEnvelopeHeader(sha, manifest, new byte[64], "#image", _image.Length);
        Assert.True(header.Length > SuitEnvelopeReader.MaxHeaderLength);
        Assert.Equal(SuitError.HeaderTooLarge, _sets.Check([.. header, .. _image]).Error);
    }

    [Fact]
    public void UnknownEnvelopeMember_IsRejected()
    {
        // 107({2: auth, 3: manifest, 5: h''}) from the parts of a valid data set.
        var env = Envelope(_plain);
        var w = new CborWriter();
        w.WriteTag(SuitLabels.TagEnvelope);
        w.WriteMapHeader(3);
        w.WriteInt64(SuitLabels.EnvelopeAuthentication);
        w.WriteEncoded(_plain[4..(env.ManifestWrappedOffset - 1)]);
        w.WriteInt64(SuitLabels.EnvelopeManifest);
        w.WriteEncoded(_plain[env.ManifestWrappedOffset..(env.ManifestWrappedOffset + env.ManifestWrappedLength)]);
        w.WriteInt64(5);
        w.WriteByteString([]);
        Assert.Equal(SuitError.UnsupportedElement, _sets.Check(w.ToArray()).Error);
    }

    [Fact]
    public void WrongClass_IsRejected()
    {
        var otherClass = _sets.Build(_image, classId: new byte[16]);
        Assert.Equal(SuitError.WrongClass, _sets.Check(otherClass).Error);
    }

    [Fact]
    public void WrongVendor_IsRejected()
    {
        var policy = _sets.Policy();
        policy.VendorId = new byte[16];
        Assert.Equal(SuitError.WrongVendor, _sets.Check(_plain, policy: policy).Error);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(1000)]
    public void OlderOrEqualSequenceNumber_IsARollback(long installed)
    {
        Assert.Equal(SuitError.RollbackAttempt, _sets.Check(_plain, policy: _sets.Policy(installed)).Error);
    }

    [Fact]
    public void ComponentTheDeviceDoesNotHave_IsRejected()
    {
        var policy = _sets.Policy();
        policy.Components = ["nanoclr"];
        Assert.Equal(SuitError.WrongComponent, _sets.Check(_plain, policy: policy).Error);
    }

    [Fact]
    public void ImageLargerThanThePartition_IsRejected()
    {
        var policy = _sets.Policy();
        policy.MaxImageSizes = [1999, 1999];
        Assert.Equal(SuitError.ImageTooLarge, _sets.Check(_plain, policy: policy).Error);
    }
}

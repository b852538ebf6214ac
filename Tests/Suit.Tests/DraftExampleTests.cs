using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using Xunit;

namespace SecureOta.Suit.Tests;

/// <summary>The six example envelopes of draft-ietf-suit-manifest-37 decode and verify with the draft's key.</summary>
public sealed class DraftExampleTests
{
    private static SuitEnvelope OpenVerified(int n)
    {
        var bytes = Vectors.Example(n);
        var read = SuitEnvelopeReader.Read(bytes, bytes.Length, bytes.Length, out var envelope);
        Assert.True(read.IsOk, $"example {n}: {read}");
        using var sha = new DotNetSha256();
        using var verifier = new DotNetEs256Verifier(Vectors.DraftSignerKey());
        var auth = SuitAuthenticator.Authenticate(envelope, sha, verifier);
        Assert.True(auth.IsOk, $"example {n}: {auth}");
        var parsed = SuitManifestParser.Parse(envelope, sha);
        Assert.True(parsed.IsOk, $"example {n}: {parsed}");
        return envelope;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Example_DecodesAndItsSignatureVerifies(int n)
    {
        var envelope = OpenVerified(n);
        Assert.Equal(1, envelope.Manifest.Version);
        Assert.Equal("fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe", Uuid.Format(envelope.Manifest.Parameters[0].VendorId));
        Assert.Equal("1492af14-2569-5e48-bf42-9b2d51f2ab45", Uuid.Format(envelope.Manifest.Parameters[0].ClassId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void SingleImageExamples_CarryTheDraftsDigestAndSize(int n)
    {
        var p = OpenVerified(n).Manifest.Parameters[0];
        Assert.Equal("00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210", Convert.ToHexString(p.ImageDigest).ToLowerInvariant());
        Assert.Equal(34768, p.ImageSize);
    }

    [Fact]
    public void Example0_IsTheMinimalSecureBootManifest()
    {
        var m = OpenVerified(0).Manifest;
        Assert.Equal(0, m.SequenceNumber);
        Assert.Single(m.Components);
        Assert.Equal(new byte[] { 0x00 }, m.Components[0][0]);
        Assert.Equal(new[] { 20, 1, 2 }, m.SharedSequence.Commands);
        Assert.Equal(new[] { 3 }, m.Validate.Commands);
        Assert.Equal(new[] { 23 }, m.Invoke.Commands);
        Assert.False(m.Install.Present);
    }

    [Fact]
    public void Example2_SeveredInstallAndTextMatchTheirDigests()
    {
        var envelope = OpenVerified(2);
        var m = envelope.Manifest;
        Assert.Equal("https://git.io/JJYoj", m.ReferenceUri);
        Assert.True(m.Install.Severed);
        Assert.True(m.Install.Parsed);
        Assert.True(m.TextSevered);
        Assert.True(m.HasText);
    }

    [Fact]
    public void Example3_HasTwoAlternativeSlotsInTryEach()
    {
        var m = OpenVerified(3).Manifest;
        Assert.Contains(SuitLabels.DirectiveTryEach, m.SharedSequence.Commands);
    }

    [Fact]
    public void Example5_NamesTwoComponents()
    {
        Assert.Equal(2, OpenVerified(5).Manifest.Components.Length);
    }

    [Fact]
    public void Example0_IsNotInstallableByOurProfile_AndSaysWhy()
    {
        var result = SuitProfile.Check(OpenVerified(0));
        Assert.Equal(SuitError.MissingField, result.Error);
        Assert.Contains("install", result.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(5)]
    public void Example_WithAnotherKey_FailsBadSignature(int n)
    {
        var bytes = Vectors.Example(n);
        SuitEnvelopeReader.Read(bytes, bytes.Length, bytes.Length, out var envelope);
        using var sha = new DotNetSha256();
        using var other = new DotNetEs256Verifier(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256));
        Assert.Equal(SuitError.BadSignature, SuitAuthenticator.Authenticate(envelope, sha, other).Error);
    }
}

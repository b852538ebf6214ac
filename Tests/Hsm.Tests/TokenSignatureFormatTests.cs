using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using SecureOta.Pkcs11;
using Xunit;

namespace SecureOta.Hsm.Tests;

/// <summary>
/// The token's r‖s in the DER form X.509 wants (TokenSignatureGenerator.DerSignature), for the draws that
/// used to fail: r or s beginning with a zero byte (one signature in 128; `make demo`'s factory of 20
/// boards failed now and then with AsnWriter's "first 9 bits" error), and either with its high bit set.
/// </summary>
public sealed class TokenSignatureFormatTests
{
    [Theory]
    [InlineData(0)]  /* r begins with 00 */
    [InlineData(32)] /* s begins with 00 */
    public void ASignatureWithALeadingZero_IsMinimalDer_AndVerifies(int half)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var digest = SHA256.HashData("certificate to be signed"u8);
        byte[] raw;
        int tries = 0;
        do
        {
            raw = key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            Assert.True(++tries < 20_000, "no signature with a leading zero in 20000 draws");
        } while (raw[half] != 0);

        var der = TokenSignatureGenerator.DerSignature(raw);
        Assert.True(key.VerifyHash(digest, der, DSASignatureFormat.Rfc3279DerSequence));
        var reader = new AsnReader(der, AsnEncodingRules.DER).ReadSequence(); /* DER: a non-minimal integer throws here */
        foreach (var at in new[] { 0, 32 })
        {
            var value = reader.ReadInteger();
            Assert.Equal(new BigInteger(raw.AsSpan(at, 32), isUnsigned: true, isBigEndian: true), value);
        }
        Assert.False(reader.HasData);
    }

    [Fact]
    public void ASignatureOfTheWrongLength_IsRefused() =>
        Assert.Throws<CryptographicException>(() => TokenSignatureGenerator.DerSignature(new byte[63]));
}

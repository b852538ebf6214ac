using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureOta.Pkcs11;

/// <summary>
/// Lets .NET's CertificateRequest sign with a key that stays in the token: ECDSA with SHA-256
/// (RFC 5758 section 3.2, ecdsa-with-SHA256, no parameters), the token's r‖s turned into the DER
/// ECDSA-Sig-Value X.509 wants (RFC 5480 section 2.2 / RFC 3279 section 2.2.3).
/// </summary>
public sealed class TokenSignatureGenerator(Pkcs11Token token, string label) : X509SignatureGenerator
{
    private static readonly byte[] EcdsaWithSha256 = [0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02];

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) =>
        hashAlgorithm == HashAlgorithmName.SHA256 ? EcdsaWithSha256 : throw new ArgumentException("the token signs ECDSA with SHA-256 only");

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
    {
        if (hashAlgorithm != HashAlgorithmName.SHA256) throw new ArgumentException("the token signs ECDSA with SHA-256 only");
        return DerSignature(token.SignDigest(label, SHA256.HashData(data)));
    }

    /// <summary>
    /// A P-256 r‖s (64 bytes, as PKCS#11's CKM_ECDSA returns it) as a DER ECDSA-Sig-Value. r and s are
    /// fixed-width there, so either begins with a zero byte one time in 256; DER's INTEGER is minimal
    /// (X.690 8.3.2), and AsnWriter.WriteIntegerUnsigned refuses a redundant leading zero, which failed
    /// about one device certificate in 128 at the factory. BigInteger gives the minimal encoding.
    /// </summary>
    public static byte[] DerSignature(byte[] raw)
    {
        if (raw.Length != 64) throw new CryptographicException($"the token returned a {raw.Length}-byte signature, not P-256's 64-byte r‖s");
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(new BigInteger(raw.AsSpan(0, 32), isUnsigned: true, isBigEndian: true));
            w.WriteInteger(new BigInteger(raw.AsSpan(32, 32), isUnsigned: true, isBigEndian: true));
        }
        return w.Encode();
    }

    protected override PublicKey BuildPublicKey()
    {
        using var key = ECDsa.Create(token.PublicKey(label));
        return new PublicKey(key);
    }
}

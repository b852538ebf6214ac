using System.Formats.Asn1;
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
        var raw = token.SignDigest(label, SHA256.HashData(data));
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteIntegerUnsigned(raw.AsSpan(0, 32));
            w.WriteIntegerUnsigned(raw.AsSpan(32, 32));
        }
        return w.Encode();
    }

    protected override PublicKey BuildPublicKey()
    {
        using var key = ECDsa.Create(token.PublicKey(label));
        return new PublicKey(key);
    }
}

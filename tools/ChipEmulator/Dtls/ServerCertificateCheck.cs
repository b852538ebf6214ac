using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureOta.ChipEmulator.Dtls;

/// <summary>
/// How the chip checks the server's Certificate message: every certificate at most 1300 bytes, ECDSA P-256
/// with SHA-256 (the chip's only suite, RFC 7251); each certificate signed by the next one in the list, the
/// last signed by the trust anchor (or being it); with a time from the host (the ClientHello's
/// gmt_unix_time tag), none outside its validity. The checks and their error codes follow the codes the host
/// maps to alerts (optiga/dtls/AlertProtocol.c: 0x26 invalid trust anchor, 0x27 trust anchor expired,
/// 0x28 unsupported trust anchor, 0x29 invalid certificate format, 0x2A unsupported certificate,
/// 0x2B certificate expired, 0x2C signature verification failure). Without a time the chip has no clock,
/// so no validity is checked (chosen; the SRM is not at hand: docs/security-chip.md).
/// </summary>
public static class ServerCertificateCheck
{
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2"; /* RFC 5758 section 3.2 */

    /// <summary>The server's public key, or the chip's error code.</summary>
    public static (ECDsa? Key, byte Error) Check(IReadOnlyList<byte[]> chain, byte[] trustAnchorDer, DateTimeOffset? now)
    {
        if (chain.Count == 0) return (null, DtlsProtocol.ErrorInvalidCertificate);
        var anchor = Parse(trustAnchorDer);
        if (anchor is null) return (null, DtlsProtocol.ErrorInvalidTrustAnchor);
        using var anchorKey = P256Key(anchor.Value.Certificate);
        if (anchorKey is null) return (null, DtlsProtocol.ErrorUnsupportedTrustAnchor);
        if (now is { } t && !Valid(anchor.Value.Certificate, t)) return (null, DtlsProtocol.ErrorTrustAnchorExpired);
        var parsed = new List<Parsed>();
        try
        {
            foreach (var der in chain)
            {
                if (der.Length > DtlsProtocol.MaxCertificateLength) return (null, DtlsProtocol.ErrorUnsupportedCertificate);
                var p = Parse(der);
                if (p is null) return (null, DtlsProtocol.ErrorInvalidCertificate);
                parsed.Add(p.Value);
                if (p.Value.SignatureAlgorithm != EcdsaWithSha256) return (null, DtlsProtocol.ErrorUnsupportedCertificate);
                using var key = P256Key(p.Value.Certificate);
                if (key is null) return (null, DtlsProtocol.ErrorUnsupportedCertificate);
                if (now is { } n && !Valid(p.Value.Certificate, n)) return (null, DtlsProtocol.ErrorCertificateExpired);
            }
            for (int i = 0; i < parsed.Count; i++)
            {
                bool last = i == parsed.Count - 1;
                if (last && parsed[i].Der.AsSpan().SequenceEqual(trustAnchorDer)) break; /* the anchor itself ends the list */
                using var issuer = last ? null : P256Key(parsed[i + 1].Certificate);
                if (!SignedBy(parsed[i], issuer ?? anchorKey)) return (null, DtlsProtocol.ErrorSignature);
            }
            return (P256Key(parsed[0].Certificate), 0);
        }
        finally
        {
            foreach (var p in parsed) p.Certificate.Dispose();
            anchor.Value.Certificate.Dispose();
        }
    }

    private readonly record struct Parsed(byte[] Der, X509Certificate2 Certificate, byte[] Tbs, string SignatureAlgorithm, byte[] Signature);

    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING } (RFC 5280 section 4.1).
    private static Parsed? Parse(byte[] der)
    {
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var seq = outer.ReadSequence();
            if (outer.HasData) return null;
            var tbs = seq.ReadEncodedValue().ToArray();
            var alg = seq.ReadSequence();
            string oid = alg.ReadObjectIdentifier();
            var signature = seq.ReadBitString(out int unused);
            if (unused != 0 || seq.HasData) return null;
            return new Parsed(der, X509CertificateLoader.LoadCertificate(der), tbs, oid, signature);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return null;
        }
    }

    private static ECDsa? P256Key(X509Certificate2 certificate)
    {
        try
        {
            var key = certificate.GetECDsaPublicKey();
            if (key is null) return null;
            if (key.KeySize == 256 && key.ExportParameters(false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value) return key;
            key.Dispose();
            return null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static bool SignedBy(Parsed p, ECDsa issuer)
    {
        try
        {
            return issuer.VerifyData(p.Tbs, p.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false; /* a signature that is not a DER ECDSA-Sig-Value */
        }
    }

    private static bool Valid(X509Certificate2 c, DateTimeOffset now) => now >= c.NotBefore.ToUniversalTime() && now <= c.NotAfter.ToUniversalTime();
}

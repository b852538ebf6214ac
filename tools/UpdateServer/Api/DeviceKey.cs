using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureOta.UpdateServer.Api;

/// <summary>
/// A device's public key as registered: its certificate (DER, the chip's object 0xE0E1) or its bare
/// SubjectPublicKeyInfo (DER). Stored as given and read the same way at registration and at every
/// check-in, so what was accepted is what verifies.
/// </summary>
public static class DeviceKey
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>The P-256 public key in a certificate or an SPKI, or null (with the reason) for anything else.</summary>
    public static ECDsa? Load(byte[] der, out string? problem)
    {
        problem = null;
        ECDsa? key = null;
        try
        {
            using var cert = X509CertificateLoader.LoadCertificate(der);
            key = cert.GetECDsaPublicKey();
            if (key is null) problem = "the certificate holds no EC public key";
        }
        catch (CryptographicException)
        {
            key = ECDsa.Create();
            try
            {
                key.ImportSubjectPublicKeyInfo(der, out int read);
                if (read != der.Length) problem = "trailing bytes after the public key";
            }
            catch (CryptographicException)
            {
                problem = "neither a DER certificate nor a DER SubjectPublicKeyInfo";
            }
        }
        if (problem is null && key!.ExportParameters(false).Curve.Oid?.Value != P256Oid) problem = "the key is not on P-256";
        if (problem is null) return key;
        key?.Dispose();
        return null;
    }
}

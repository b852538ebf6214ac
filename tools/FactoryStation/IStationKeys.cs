using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.Pkcs11;

namespace SecureOta.FactoryStation;

/// <summary>
/// What the station needs of the vendor's secrets: the device CA to issue certificates, the update
/// master secret for Trust M chips (and a derivation to check a chip got it right).
/// </summary>
public interface IStationKeys
{
    X509Certificate2 DeviceCa { get; }
    X509SignatureGenerator DeviceCaSigner { get; }

    /// <summary>The master secret, for writing into one chip; the caller clears it. Null when there is none (a Trust X fleet).</summary>
    byte[]? TakeMasterSecret();

    /// <summary>TLS1.2-PRF-SHA256(master secret, data), 16 bytes, computed where the secret lives (the token).</summary>
    byte[] MasterKek(byte[] derivationData);
}

/// <summary>The keys in a PKCS#11 token (docs/hsm.md): the CA signs inside it; the master secret leaves it wrapped, made for provisioning.</summary>
public sealed class TokenStationKeys(Pkcs11Token token, string caKeyLabel, X509Certificate2 caCertificate, string? masterLabel) : IStationKeys
{
    public X509Certificate2 DeviceCa => caCertificate;
    public X509SignatureGenerator DeviceCaSigner { get; } = new TokenSignatureGenerator(token, caKeyLabel);

    public byte[]? TakeMasterSecret() => masterLabel is null ? null : token.ExportForProvisioning(masterLabel);

    public byte[] MasterKek(byte[] derivationData)
    {
        if (masterLabel is null) throw new InvalidOperationException("no master secret");
        var a = token.Hmac(masterLabel, derivationData);
        return token.Hmac(masterLabel, [.. a, .. derivationData])[..16];
    }
}

/// <summary>Keys in this process (tests and the simulator's defaults): a CA key and the master secret in memory.</summary>
public sealed class LocalStationKeys(ECDsa caKey, X509Certificate2 caCertificate, byte[]? masterSecret) : IStationKeys
{
    public X509Certificate2 DeviceCa => caCertificate;
    public X509SignatureGenerator DeviceCaSigner { get; } = X509SignatureGenerator.CreateForECDsa(caKey);

    public byte[]? TakeMasterSecret() => masterSecret is null ? null : (byte[])masterSecret.Clone();

    public byte[] MasterKek(byte[] derivationData)
    {
        if (masterSecret is null) throw new InvalidOperationException("no master secret");
        var a = HMACSHA256.HashData(masterSecret, derivationData);
        byte[] block = [.. a, .. derivationData];
        return HMACSHA256.HashData(masterSecret, block)[..16];
    }

    /// <summary>A throw-away device CA (self-signed) for tests and the simulator.</summary>
    public static (ECDsa Key, X509Certificate2 Certificate) NewCa(string subject = "CN=Secure OTA device CA (local)")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return (key, request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(20)));
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// A private CA and a server certificate it issued, made for one test run (P-256, as an operator would
/// make them with openssl), also written as PEM files for update-server --tls-cert/--tls-key and
/// device-sim --server-ca.
/// </summary>
public sealed class TestTls : IDisposable
{
    public X509Certificate2 Ca { get; }
    public X509Certificate2 Server { get; }
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("test-tls-").FullName;
    public string CaPem => Path.Combine(Directory, "ca.pem");
    public string CertPem => Path.Combine(Directory, "server.pem");
    public string KeyPem => Path.Combine(Directory, "server.key");

    /// <param name="names">The server certificate's names: IP addresses or DNS names.</param>
    public TestTls(string caName = "CN=test update CA", DateTimeOffset? notAfter = null, params string[] names)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest(caName, caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=update-server", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names.Length == 0 ? ["127.0.0.1", "localhost"] : names)
            if (IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip); else san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var issued = request.Create(Ca, now.AddDays(-1), notAfter ?? now.AddDays(30), serial);
        Server = issued.CopyWithPrivateKey(serverKey);

        File.WriteAllText(CaPem, Ca.ExportCertificatePem());
        File.WriteAllText(CertPem, Server.ExportCertificatePem());
        File.WriteAllText(KeyPem, serverKey.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        System.IO.Directory.Delete(Directory, true);
    }
}

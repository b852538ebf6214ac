using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureOta.UpdateServer.Security;

/// <summary>
/// HTTPS for the boards (issue 15): the certificate and key from PEM files, and the rule that plain
/// HTTP is served only where asked for. Without TLS a board's session token and its status reports
/// cross the Wi-Fi in clear (docs/threats.md, THREAT.NET.ONPATH); the check-in itself stays chip-signed
/// either way. Every problem is an ArgumentException with one line saying what to do.
/// </summary>
public static class ServerTls
{
    public const string DefaultHttpsUrl = "https://127.0.0.1:5443";
    public const string DefaultHttpUrl = "http://127.0.0.1:5080";

    /// <summary>The server certificate with its private key; both files PEM (cert may carry the chain after it).</summary>
    public static X509Certificate2 Load(string certPath, string keyPath, DateTimeOffset now)
    {
        if (!File.Exists(certPath)) throw new ArgumentException($"--tls-cert {certPath}: no such file");
        if (!File.Exists(keyPath)) throw new ArgumentException($"--tls-key {keyPath}: no such file");
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certPath, keyPath);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // ArgumentException: a key that is not this certificate's
            throw new ArgumentException($"--tls-cert {certPath} / --tls-key {keyPath}: not a PEM certificate and its private key ({e.Message.TrimEnd('.')})");
        }
        if (now < certificate.NotBefore || now > certificate.NotAfter)
        {
            var (from, to) = (certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
            certificate.Dispose();
            throw new ArgumentException($"--tls-cert {certPath}: valid from {from:u} to {to:u}, not now; boards would refuse it (make a new one)");
        }
        return certificate;
    }

    /// <summary>
    /// Checks the listen addresses against the certificate: https needs one; a certificate needs an
    /// https address; plain http on an address boards can reach (anything but loopback) needs plainHttp.
    /// </summary>
    public static void CheckListenUrls(string urls, bool haveCertificate, bool plainHttp)
    {
        bool anyHttps = false;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var uri = new Uri(url);
            if (uri.Scheme == "https")
            {
                anyHttps = true;
                if (!haveCertificate)
                    throw new ArgumentException($"--urls {url}: HTTPS needs the server's certificate and key: --tls-cert FILE --tls-key FILE (PEM)");
            }
            else if (!plainHttp && !IsLoopback(uri.Host))
                throw new ArgumentException($"--urls {url}: plain HTTP where boards can reach it would carry their session tokens and status in clear; serve https:// with --tls-cert/--tls-key, or say --plain-http");
        }
        if (haveCertificate && !anyHttps)
            throw new ArgumentException($"--tls-cert given but no https:// address in --urls {urls}: add one (e.g. {DefaultHttpsUrl})");
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}

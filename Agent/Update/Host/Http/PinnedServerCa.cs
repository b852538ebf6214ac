#nullable enable
using System;
using System.IO;
using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureOta.Agent.Update.Host.Http;

/// <summary>
/// HTTPS as the board does it, for the host twin and device-sim: the server's certificate must chain to
/// the one CA the device was given (the board's HttpWebRequest.HttpsAuthentCert) and name the host the
/// URL names; the machine's own root store is not consulted, so a certificate from any other CA, however
/// public, is refused. On the board the same rule comes from nanoFramework's mbedTLS glue, which verifies
/// only with SslVerification.CertificateRequired (nf-interpreter src/PAL/COM/sockets/ssl/MbedTLS/
/// ssl_generic_init_internal.cpp: any other value leaves MBEDTLS_SSL_VERIFY_NONE).
/// </summary>
public static class PinnedServerCa
{
    /// <summary>The CA certificate (PEM, the first certificate in the file).</summary>
    public static X509Certificate2 Load(string pemPath)
    {
        if (!File.Exists(pemPath)) throw new ArgumentException($"{pemPath}: no such file (the CA certificate of the update server, PEM)");
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(pemPath));
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"{pemPath}: not a PEM certificate ({e.Message.TrimEnd('.')})");
        }
    }

    /// <summary>A handler that accepts only servers whose certificate chains to ca (null: plain HTTP only, https refused).</summary>
    public static SocketsHttpHandler Handler(X509Certificate2? ca) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        SslOptions = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            // A board resumes no TLS session: nf-interpreter's ssl_connect_internal.cpp handshakes on a fresh
            // mbedTLS context and never calls mbedtls_ssl_set_session. So every connection here is a full
            // handshake too (FullHandshakeTests), and the server's handshake work per board is counted as it is.
            AllowTlsResume = false,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => ca is not null && Accepts(ca, certificate, errors),
        },
    };

    /// <summary>The validation rule itself: a certificate for the host, chaining to ca alone.</summary>
    public static bool Accepts(X509Certificate2 ca, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
            return false;
        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // the board has no revocation source either
        return chain.Build(leaf);
    }
}

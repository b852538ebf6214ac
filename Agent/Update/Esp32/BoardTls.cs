using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace SecureOta.Agent.Update.Esp32
{
    /// <summary>
    /// HTTPS on the board: every https request verifies the server against the one CA the board was
    /// given (AgentSettings.ServerCaPem). nanoFramework's mbedTLS glue verifies the server only when
    /// SslVerification is CertificateRequired; any other value leaves MBEDTLS_SSL_VERIFY_NONE and would
    /// accept any certificate (nf-interpreter src/PAL/COM/sockets/ssl/MbedTLS/ssl_generic_init_internal.cpp),
    /// so the value is set on every request, never left to a default. The CA travels as
    /// HttpWebRequest.HttpsAuthentCert (nanoframework/System.Net.Http, Http/System.Net.HttpWebRequest.cs);
    /// CA certificates that nanoff deployed to the config partition are trusted too (the same file: the
    /// store is loaded first), so deploy none there for a board that must trust this CA alone.
    /// Only runs on a board; the host twin's rule is Host/Http/PinnedServerCa.cs.
    /// </summary>
    public sealed class BoardTls
    {
        private const string HttpsScheme = "https://";

        private readonly X509Certificate _ca;

        /// <param name="ca">The server's CA; null: https requests are refused (plain http still goes).</param>
        public BoardTls(X509Certificate ca)
        {
            _ca = ca;
        }

        public static bool IsHttps(string url)
        {
            return url != null && url.Length >= HttpsScheme.Length && url.Substring(0, HttpsScheme.Length).ToLower() == HttpsScheme;
        }

        /// <summary>Sets TLS on an https request; returns null, or why the request must not go.</summary>
        public string Apply(HttpWebRequest request, string url)
        {
            if (!IsHttps(url))
            {
                return null;
            }

            if (_ca == null)
            {
                return url + ": https, but this board has no server CA (AgentSettings.ServerCaPem): refusing rather than trusting any certificate";
            }

            request.HttpsAuthentCert = _ca;
            request.SslProtocols = SslProtocols.Tls12;
            request.SslVerification = SslVerification.CertificateRequired;
            return null;
        }
    }
}

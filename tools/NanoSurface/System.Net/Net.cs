// NanoSurface: System.Net (NuGet nanoFramework.System.Net 1.11.60).
// Source: nanoframework/System.Net, nanoFramework.System.Net/Security/NetworkSecurity.cs,
// X509Certificates/X509Certificate.cs, NetworkHelper/NetworkHelperStatus.cs (main@713b02c).
namespace System.Net.Security
{
    [Flags]
    public enum SslProtocols { None = 0, Tls12 = 3072, Tls13 = 12288 }

    public enum SslVerification { NoVerification = 1, VerifyPeer = 2, CertificateRequired = 4, VerifyClientOnce = 8 }
}

namespace System.Security.Cryptography.X509Certificates
{
    public class X509Certificate
    {
        public X509Certificate() { }
        public X509Certificate(byte[] certificate) { }
        public X509Certificate(string certificate) { }
        public virtual string Issuer { get { throw null; } }
        public virtual string Subject { get { throw null; } }
        public virtual byte[] GetRawCertData() { throw null; }
    }
}


namespace nanoFramework.Networking
{
    public enum NetworkHelperStatus
    {
        None, Started, NetworkIsReady, FailedNoNetworkInterface, TokenExpiredWaitingIPAddress,
        TokenExpiredWaitingDateTime, ErrorConnetingToWiFiWhileScanning, ExceptionOccurred, Reconnecting,
    }
}

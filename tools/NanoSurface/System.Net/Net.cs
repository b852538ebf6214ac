// NanoSurface: System.Net (assembly System.Net, lib/System.Net.dll of NuGet nanoFramework.System.Net
// 1.11.54, built on CoreLibrary 1.17.11).
// Source: nanoframework/System.Net at tag v1.11.54, nanoFramework.System.Net/Security/NetworkSecurity.cs,
// X509Certificates/X509Certificate.cs, NetworkHelper/NetworkHelperStatus.cs (subset: what the HTTP and
// Wi-Fi declarations need).
namespace System.Net.Security
{
    [Flags]
    public enum SslProtocols
    {
        None = 0x00,
        [Obsolete("This value is obsolete and unsecured and will be removed in a future version.")]
        Tls = 192,
        [Obsolete("This value is obsolete and unsecured and will be removed in a future version.")]
        Tls11 = 768,
        Tls12 = 3072,
        Tls13 = 12288,
    }

    public enum SslVerification { NoVerification = 1, VerifyPeer = 2, CertificateRequired = 4, VerifyClientOnce = 8 }
}

namespace System.Security.Cryptography.X509Certificates
{
    public class X509Certificate
    {
        protected string _issuer;
        protected string _subject;
        protected DateTime _effectiveDate;
        protected DateTime _expirationDate;
        protected byte[] _handle;
        protected byte[] _sessionHandle;
        public X509Certificate() { }
        public X509Certificate(byte[] certificate) { }
        public X509Certificate(string certificate) { }
        public virtual string Issuer { get { throw null; } }
        public virtual string Subject { get { throw null; } }
        public virtual DateTime GetEffectiveDate() { throw null; }
        public virtual DateTime GetExpirationDate() { throw null; }
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

// NanoSurface: System.Net.Http (assembly System.Net.Http, lib/System.Net.Http.dll of NuGet
// nanoFramework.System.Net.Http 1.5.209, built on CoreLibrary 1.17.11, depends on System.Net >= 1.11.54).
// Source: nanoframework/System.Net.Http at tag v1.5.209, nanoFramework.System.Net.Http/Http/
// {System.Net.WebRequest,System.Net.HttpWebRequest,System.Net.WebResponse,System.Net.HttpWebResponse,
// System.Net.WebHeaders,System.Net.HttpStatusCode,System.Net.WebException}.cs. Subset: the HttpWebRequest
// path the agent uses (HttpClient refuses a Range header, so resumable downloads use AddRange, which takes
// int). All calls are synchronous. HttpWebRequest and HttpWebResponse have no public constructor
// (WebRequest.Create makes them); HttpStatusCode has no TooManyRequests; WebRequest has no DefaultTimeout.
namespace System.Net
{
    public enum HttpStatusCode
    {
        Continue = 100, SwitchingProtocols = 101,
        OK = 200, Created = 201, Accepted = 202, NonAuthoritativeInformation = 203, NoContent = 204,
        ResetContent = 205, PartialContent = 206,
        MultipleChoices = 300, Ambiguous = 300, MovedPermanently = 301, Moved = 301, Found = 302, Redirect = 302,
        SeeOther = 303, RedirectMethod = 303, NotModified = 304, UseProxy = 305, Unused = 306,
        TemporaryRedirect = 307, RedirectKeepVerb = 307,
        BadRequest = 400, Unauthorized = 401, PaymentRequired = 402, Forbidden = 403, NotFound = 404,
        MethodNotAllowed = 405, NotAcceptable = 406, ProxyAuthenticationRequired = 407, RequestTimeout = 408,
        Conflict = 409, Gone = 410, LengthRequired = 411, PreconditionFailed = 412, RequestEntityTooLarge = 413,
        RequestUriTooLong = 414, UnsupportedMediaType = 415, RequestedRangeNotSatisfiable = 416, ExpectationFailed = 417,
        InternalServerError = 500, NotImplemented = 501, BadGateway = 502, ServiceUnavailable = 503,
        GatewayTimeout = 504, HttpVersionNotSupported = 505,
        MaxOkStatus = 299, MaxRedirectionStatus = 399,
    }

    public class WebHeaderCollection
    {
        public WebHeaderCollection() { }
        public void Add(string name, string value) { }
        public void Add(string header) { }
        public void Set(string name, string value) { }
        public void Remove(string name) { }
        public string[] GetValues(string header) { throw null; }
        public override string ToString() { throw null; }
        public byte[] ToByteArray() { throw null; }
        public static bool IsRestricted(string headerName) { throw null; }
        public string this[string header] { get { throw null; } }
        public int Count { get { throw null; } }
        public string[] AllKeys { get { throw null; } }
    }

    public abstract class WebResponse : MarshalByRefObject, IDisposable
    {
        protected WebResponse() { }
        public virtual long ContentLength { get { throw null; } set { } }
        public virtual string ContentType { get { throw null; } set { } }
        public virtual System.IO.Stream GetResponseStream() { throw null; }
        public virtual Uri ResponseUri { get { throw null; } }
        public virtual WebHeaderCollection Headers { get { throw null; } }
        public virtual void Close() { }
        public void Dispose() { }
        protected virtual void Dispose(bool disposing) { }
    }

    public abstract class WebRequest : MarshalByRefObject, IDisposable
    {
        protected WebRequest() { }
        public void Dispose() { }
        protected virtual void Dispose(bool disposing) { }
        public virtual string Method { get { throw null; } set { } }
        public virtual Uri RequestUri { get { throw null; } }
        public virtual WebHeaderCollection Headers { get { throw null; } set { } }
        public virtual long ContentLength { get { throw null; } set { } }
        public virtual string ContentType { get { throw null; } set { } }
        public virtual int Timeout { get { throw null; } set { } }
        public virtual System.IO.Stream GetRequestStream() { throw null; }
        public virtual WebResponse GetResponse() { throw null; }
        public static WebRequest Create(string requestUriString) { throw null; }
        public static WebRequest Create(Uri requestUri) { throw null; }
    }

    public class HttpWebRequest : WebRequest
    {
        internal HttpWebRequest() { }
        protected override void Dispose(bool disposing) { }
        public override int Timeout { get { throw null; } set { } }
        public System.Security.Cryptography.X509Certificates.X509Certificate HttpsAuthentCert { get { throw null; } set { } }
        public System.Net.Security.SslVerification SslVerification { get { throw null; } set { } }
        public System.Net.Security.SslProtocols SslProtocols { get { throw null; } set { } }
        public int ReadWriteTimeout { get { throw null; } set { } }
        public override Uri RequestUri { get { throw null; } }
        public Uri Address { get { throw null; } }
        public bool AllowWriteStreamBuffering { get { throw null; } set { } }
        public override long ContentLength { get { throw null; } set { } }
        public bool AllowAutoRedirect { get { throw null; } set { } }
        public int MaximumAutomaticRedirections { get { throw null; } set { } }
        public override string Method { get { throw null; } set { } }
        public bool KeepAlive { get { throw null; } set { } }
        public override WebHeaderCollection Headers { get { throw null; } set { } }
        public bool SendChunked { get { throw null; } set { } }
        public override string ContentType { get { throw null; } set { } }
        public string UserAgent { get { throw null; } set { } }
        public void Reset() { }
        public bool HaveResponse { get { throw null; } }
        public void AddRange(int from, int to) { }
        public void AddRange(int range) { }
        public void AddRange(string rangeSpecifier, int from, int to) { }
        public void AddRange(string rangeSpecifier, int range) { }
        public override WebResponse GetResponse() { throw null; }
        public override System.IO.Stream GetRequestStream() { throw null; }
    }

    public class HttpWebResponse : WebResponse
    {
        internal HttpWebResponse() { }
        public override WebHeaderCollection Headers { get { throw null; } }
        public override long ContentLength { get { throw null; } }
        public string ContentEncoding { get { throw null; } }
        public override string ContentType { get { throw null; } }
        public string Server { get { throw null; } }
        public DateTime LastModified { get { throw null; } }
        public HttpStatusCode StatusCode { get { throw null; } }
        public string StatusDescription { get { throw null; } }
        public Version ProtocolVersion { get { throw null; } }
        public override System.IO.Stream GetResponseStream() { throw null; }
        public string GetResponseHeader(string headerName) { throw null; }
        public override Uri ResponseUri { get { throw null; } }
        public string Method { get { throw null; } }
        protected override void Dispose(bool disposing) { }
        public override void Close() { }
    }

    public class WebException : InvalidOperationException
    {
        public WebException() { }
        public WebException(string message) { }
        public WebException(string message, Exception innerException) { }
        public WebResponse Response { get { throw null; } }
    }
}

namespace System
{
    // Http/System.Uri.cs: System.Uri ships with System.Net.Http on nanoFramework (subset).
    public class Uri
    {
        public Uri(string uriString) { }
        public int Port { get { throw null; } }
        public bool IsAbsoluteUri { get { throw null; } }
        public string AbsolutePath { get { throw null; } }
        public string OriginalString { get { throw null; } }
        public string AbsoluteUri { get { throw null; } }
        public string Query { get { throw null; } }
        public string Scheme { get { throw null; } }
        public string Host { get { throw null; } }
    }
}

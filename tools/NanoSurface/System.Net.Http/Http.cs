// NanoSurface: System.Net.Http (NuGet nanoFramework.System.Net.Http).
// Source: nanoframework/System.Net.Http, nanoFramework.System.Net.Http/Http/{HttpClient,HttpContent,
// HttpResponseMessage,System.Net.HttpWebRequest,System.Net.HttpWebResponse,System.Net.WebRequest,
// System.Net.WebHeaders}.cs (main@a37532d). All calls are synchronous. HttpClient refuses a Range
// header (restricted in WebHeaderCollection), so resumable downloads use HttpWebRequest.AddRange,
// which takes int, not long.
namespace System.Net
{
    // Http/System.Net.HttpStatusCode.cs (subset).
    public enum HttpStatusCode
    {
        OK = 200, Created = 201, Accepted = 202, NoContent = 204, PartialContent = 206,
        NotModified = 304, BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404,
        Conflict = 409, Gone = 410, PreconditionFailed = 412, RequestEntityTooLarge = 413,
        RequestedRangeNotSatisfiable = 416, TooManyRequests = 429, InternalServerError = 500,
        ServiceUnavailable = 503,
    }

    public class WebHeaderCollection
    {
        public void Add(string name, string value) { }
        public string this[string name] { get { throw null; } }
        public int Count { get { throw null; } }
    }

    public abstract class WebResponse : IDisposable
    {
        public virtual long ContentLength { get { throw null; } }
        public virtual string ContentType { get { throw null; } }
        public virtual WebHeaderCollection Headers { get { throw null; } }
        public virtual System.IO.Stream GetResponseStream() { throw null; }
        public virtual void Close() { }
        public void Dispose() { }
    }

    public abstract class WebRequest
    {
        public const int DefaultTimeout = 100000;
        public static WebRequest Create(string requestUriString) { throw null; }
        public virtual string Method { get { throw null; } set { } }
        public virtual WebHeaderCollection Headers { get { throw null; } set { } }
        public virtual long ContentLength { get { throw null; } set { } }
        public virtual string ContentType { get { throw null; } set { } }
        public virtual int Timeout { get { throw null; } set { } }
        public virtual System.IO.Stream GetRequestStream() { throw null; }
        public virtual WebResponse GetResponse() { throw null; }
    }

    public class HttpWebRequest : WebRequest
    {
        public void AddRange(int from, int to) { }
        public void AddRange(int range) { }
        public int ReadWriteTimeout { get { throw null; } set { } }
        public bool KeepAlive { get { throw null; } set { } }
        public System.Security.Cryptography.X509Certificates.X509Certificate HttpsAuthentCert { get { throw null; } set { } }
        public System.Net.Security.SslProtocols SslProtocols { get { throw null; } set { } }
        public System.Net.Security.SslVerification SslVerification { get { throw null; } set { } }
    }

    public class HttpWebResponse : WebResponse
    {
        public virtual HttpStatusCode StatusCode { get { throw null; } }
        public virtual string StatusDescription { get { throw null; } }
        public string GetResponseHeader(string headerName) { throw null; }
    }
}

namespace System.Net.Http
{
    public enum HttpCompletionOption { ResponseContentRead = 0, ResponseHeadersRead }

    public class HttpRequestException : Exception
    {
        public HttpRequestException() { }
        public HttpRequestException(string message) { }
    }

    public abstract class HttpContent : IDisposable
    {
        public System.Net.Http.Headers.HttpContentHeaders Headers { get { throw null; } }
        public void CopyTo(System.IO.Stream stream) { }
        public System.IO.Stream ReadAsStream() { throw null; }
        public byte[] ReadAsByteArray() { throw null; }
        public string ReadAsString() { throw null; }
        public void Dispose() { }
    }

    public class ByteArrayContent : HttpContent
    {
        public ByteArrayContent(byte[] content) { }
        public ByteArrayContent(byte[] content, int offset, int count) { }
    }

    public class StringContent : ByteArrayContent
    {
        public StringContent(string content) : base(null) { }
        public StringContent(string content, System.Text.Encoding encoding, string mediaType) : base(null) { }
    }

    public class HttpResponseMessage : IDisposable
    {
        public HttpContent Content { get { throw null; } set { } }
        public System.Net.Http.Headers.HttpResponseHeaders Headers { get { throw null; } }
        public bool IsSuccessStatusCode { get { throw null; } }
        public HttpStatusCode StatusCode { get { throw null; } }
        public HttpResponseMessage EnsureSuccessStatusCode() { throw null; }
        public void Dispose() { }
    }

    public class HttpClient : IDisposable
    {
        public HttpClient() { }
        public Uri BaseAddress { get { throw null; } set { } }
        public TimeSpan Timeout { get { throw null; } set { } }
        public System.Net.Http.Headers.HttpRequestHeaders DefaultRequestHeaders { get { throw null; } }
        public System.Security.Cryptography.X509Certificates.X509Certificate HttpsAuthentCert { get { throw null; } set { } }
        public System.Net.Security.SslProtocols SslProtocols { get { throw null; } set { } }
        public System.Net.Security.SslVerification SslVerification { get { throw null; } set { } }
        public HttpResponseMessage Get(string requestUri) { throw null; }
        public HttpResponseMessage Get(string requestUri, HttpCompletionOption completionOption) { throw null; }
        public HttpResponseMessage Post(string requestUri, HttpContent content) { throw null; }
        public HttpResponseMessage Put(string requestUri, HttpContent content) { throw null; }
        public string GetString(string requestUri) { throw null; }
        public byte[] GetByteArray(string requestUri) { throw null; }
        public void Dispose() { }
    }
}

namespace System.Net.Http.Headers
{
    public abstract class HttpHeaders
    {
        // The only public mutator; throws ArgumentException for restricted headers (Range, Host, ...).
        public void Add(string name, string value) { }
    }

    public sealed class HttpRequestHeaders : HttpHeaders
    {
        public bool ConnectionClose { get { throw null; } set { } }
    }

    public sealed class HttpResponseHeaders : HttpHeaders { }

    public sealed class HttpContentHeaders : HttpHeaders
    {
        public long ContentLength { get { throw null; } }
    }
}

namespace System
{
    // System.Uri ships with System.Net.Http on nanoFramework (Http/System.Uri.cs).
    public class Uri
    {
        public Uri(string uriString) { }
        public string AbsoluteUri { get { throw null; } }
        public string Host { get { throw null; } }
        public int Port { get { throw null; } }
        public override string ToString() { throw null; }
    }
}

namespace SecureOta.Agent.Update.Download
{
    /// <summary>
    /// The HTTP seam of the download: one GET, optionally for the bytes from an offset on. On the
    /// device it is HttpWebRequest (AddRange, because nanoFramework's HttpClient refuses a Range
    /// header); on the host HttpClient or a scripted network that drops and lies. Implementations
    /// never throw for a network condition: they return null and say why in failure[0].
    /// </summary>
    public interface IRangeHttp
    {
        /// <summary>
        /// GET url. When from &gt; 0 the request carries "Range: bytes=from-" (RFC 9110 section 14.2)
        /// and, when ifRange is not null, "If-Range: ifRange" (RFC 9110 section 13.1.5).
        /// </summary>
        HttpRangeResponse Get(string url, long from, string ifRange, string[] failure);
    }
}

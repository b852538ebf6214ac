namespace SecureOta.Agent.Update.Download
{
    /// <summary>
    /// One HTTP response as the downloader needs it: the status, the validators and the body as a
    /// stream of reads. Header values are raw strings, parsed and checked by the downloader itself so
    /// the same checks run on every transport.
    /// </summary>
    public abstract class HttpRangeResponse
    {
        /// <summary>HTTP status code (200, 206, 416, ...).</summary>
        public int Status;

        /// <summary>Content-Length, or -1 when absent.</summary>
        public long ContentLength = -1;

        /// <summary>The ETag header as sent, or null.</summary>
        public string ETag;

        /// <summary>The Content-Range header as sent, or null.</summary>
        public string ContentRange;

        /// <summary>Reads body bytes: the count read, 0 at the end of the body, -1 when the connection failed.</summary>
        public abstract int Read(byte[] buffer, int offset, int count);

        /// <summary>Releases the connection; safe to call twice.</summary>
        public abstract void Close();
    }
}

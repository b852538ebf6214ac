using SecureOta.Agent.Update.Flow;

namespace SecureOta.Agent.Update.Download
{
    /// <summary>
    /// Detached payloads over the agent's HTTP seam: the same ResumableDownload as a data set (Range and
    /// If-Range against a strong ETag, bounded retries), so a dropped connection resumes and a payload
    /// that changed under the download stops it. Its ETag is what the resume journal records.
    /// </summary>
    public sealed class HttpPayloadFetcher : IPayloadFetcher
    {
        private readonly IRangeHttp _http;
        private readonly IDelay _delay;

        public HttpPayloadFetcher(IRangeHttp http, IDelay delay)
        {
            _http = http;
            _delay = delay;
        }

        public IByteSource Open(string uri, long length, out string failure)
        {
            ResumableDownload download = new ResumableDownload(_http, uri, length, _delay);
            if (!download.Open())
            {
                failure = download.FailureMessage;
                download.Close();
                return null;
            }

            failure = null;
            return download;
        }

        public void Close(IByteSource payload)
        {
            ResumableDownload download = payload as ResumableDownload;
            if (download != null)
            {
                download.Close();
            }
        }
    }
}

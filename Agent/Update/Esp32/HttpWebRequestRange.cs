using System;
using System.IO;
using System.Net;
using SecureOta.Agent.Update.Download;

namespace SecureOta.Agent.Update.Esp32
{
    /// <summary>
    /// The device's HTTP seam: nanoFramework's HttpWebRequest, the one API there that can send a Range
    /// header (AddRange takes an int: staging partitions are far below 2 GiB). Every exception of the
    /// network stack becomes "no response" with its message, and the downloader decides whether to
    /// retry. Only runs on a board (excluded from the host twin; the host uses HttpClient).
    /// </summary>
    public sealed class HttpWebRequestRange : IRangeHttp
    {
        /// <summary>Connect and per-read time-out: a stalled Wi-Fi link becomes a retry, never a hang.</summary>
        public const int TimeoutMilliseconds = 15000;

        /// <summary>
        /// The whole body of one response (the host twin's HttpClientRange.DefaultBodyDeadline): a server
        /// that trickles bytes is cut off, and the download resumes or gives up within its own bounds.
        /// </summary>
        public const int BodyDeadlineMilliseconds = 600000;

        private readonly BoardTls _tls;

        public HttpWebRequestRange(BoardTls tls)
        {
            _tls = tls;
        }

        public HttpRangeResponse Get(string url, long from, string ifRange, string[] failure)
        {
            try
            {
                HttpWebRequest request = (HttpWebRequest)WebRequest.Create(url);
                request.Method = "GET";
                request.Timeout = TimeoutMilliseconds;
                request.ReadWriteTimeout = TimeoutMilliseconds;
                request.KeepAlive = false;
                string refused = _tls.Apply(request, url);
                if (refused != null)
                {
                    failure[0] = refused;
                    return null;
                }

                if (from > 0)
                {
                    request.AddRange((int)from);
                    if (ifRange != null)
                    {
                        request.Headers.Add("If-Range", ifRange);
                    }
                }

                HttpWebResponse response = (HttpWebResponse)request.GetResponse();
                return new Response(response);
            }
            catch (Exception e)
            {
                failure[0] = e.Message;
                return null;
            }
        }

        private sealed class Response : HttpRangeResponse
        {
            private HttpWebResponse _response;
            private Stream _body;
            private readonly Deadline _deadline = new Deadline(BodyDeadlineMilliseconds);

            public Response(HttpWebResponse response)
            {
                _response = response;
                Status = (int)response.StatusCode;
                ContentLength = response.ContentLength;
                ETag = response.GetResponseHeader("ETag");
                ContentRange = response.GetResponseHeader("Content-Range");
                _body = response.GetResponseStream();
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_deadline.Expired)
                {
                    return -1; /* as a dropped connection: ResumableDownload resumes or gives up */
                }

                try
                {
                    return _body.Read(buffer, offset, count);
                }
                catch (Exception)
                {
                    return -1;
                }
            }

            public override void Close()
            {
                if (_response != null)
                {
                    _body.Dispose();
                    _response.Close();
                    _response = null;
                }
            }
        }
    }
}

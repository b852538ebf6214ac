using System;
using System.IO;
using System.Net;
using System.Text;
using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Download;

namespace SecureOta.Agent.Update.Esp32
{
    /// <summary>
    /// The device API seam on the board: a JSON POST through HttpWebRequest, the body read in a
    /// bounded buffer (Json.MaxDocument), every exception of the network stack turned into -1 with its
    /// message. Only runs on a board (excluded from the host twin).
    /// </summary>
    public sealed class HttpWebRequestJson : IJsonHttp
    {
        public const int TimeoutMilliseconds = 15000;

        private readonly BoardTls _tls;

        public HttpWebRequestJson(BoardTls tls)
        {
            _tls = tls;
        }

        /// <summary>The whole answer (the host twin's HttpClientJson deadline): a trickling server is cut off.</summary>
        public const int BodyDeadlineMilliseconds = 30000;

        private readonly byte[] _buffer = new byte[Json.MaxDocument + 1];

        public int Post(string url, string bearer, string json, string[] responseBody, string[] failure)
        {
            HttpWebResponse response = null;
            try
            {
                byte[] body = Encoding.UTF8.GetBytes(json);
                HttpWebRequest request = (HttpWebRequest)WebRequest.Create(url);
                request.Method = "POST";
                request.ContentType = "application/json";
                request.ContentLength = body.Length;
                request.Timeout = TimeoutMilliseconds;
                request.ReadWriteTimeout = TimeoutMilliseconds;
                request.KeepAlive = false;
                string refused = _tls.Apply(request, url);
                if (refused != null)
                {
                    failure[0] = refused;
                    return -1;
                }

                if (bearer != null)
                {
                    request.Headers.Add("Authorization", "Bearer " + bearer);
                }

                Stream outgoing = request.GetRequestStream();
                outgoing.Write(body, 0, body.Length);
                outgoing.Dispose();

                response = (HttpWebResponse)request.GetResponse();
                Stream incoming = response.GetResponseStream();
                Deadline deadline = new Deadline(BodyDeadlineMilliseconds);
                int total = 0;
                while (total < _buffer.Length)
                {
                    if (deadline.Expired)
                    {
                        incoming.Dispose();
                        failure[0] = "the answer from " + url + " did not arrive within " + (BodyDeadlineMilliseconds / 1000).ToString() + " s";
                        return -1;
                    }

                    int n = incoming.Read(_buffer, total, _buffer.Length - total);
                    if (n <= 0)
                    {
                        break;
                    }

                    total += n;
                }

                incoming.Dispose();
                if (total > Json.MaxDocument)
                {
                    failure[0] = "the answer from " + url + " is larger than " + Json.MaxDocument.ToString() + " bytes";
                    return -1;
                }

                responseBody[0] = Encoding.UTF8.GetString(_buffer, 0, total);
                return (int)response.StatusCode;
            }
            catch (Exception e)
            {
                failure[0] = e.Message;
                return -1;
            }
            finally
            {
                if (response != null)
                {
                    response.Close();
                }
            }
        }
    }
}

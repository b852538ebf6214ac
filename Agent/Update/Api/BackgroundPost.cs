using System;
using System.Threading;
using SecureOta.Agent.Update.Flow;

namespace SecureOta.Agent.Update.Api
{
    /// <summary>
    /// One device-API POST on its own thread (issue 14), so the agent does not wait the request's round trip:
    /// the progress reports "downloading" and "verified", best effort (docs/device-api.md section 4), while
    /// the download and the flash go on; and the check-in's nonce request while the agent opens the chip's
    /// session and reads its counter (ServerClient.RequestNonceInBackground). The thread has its own answer
    /// and failure buffers and its own copy of the request, so an abandoned request (Settle timed out) shares
    /// no state with what the agent does next. nanoFramework: Thread, Thread.Join(int) (ChunkPrefetcher uses both).
    /// </summary>
    public sealed class BackgroundPost
    {
        private readonly IJsonHttp _http;
        private readonly string _url;
        private readonly string _bearer;
        private readonly string _body;
        private readonly IPipelineTime _time;
        private readonly string[] _answer = new string[1];
        private readonly string[] _failure = new string[1];
        private long _startedAt;
        private long _doneAt;
        private Thread _thread;

        public BackgroundPost(IJsonHttp http, string url, string bearer, string body, IPipelineTime time)
        {
            _http = http;
            _url = url;
            _bearer = bearer;
            _body = body;
            _time = time;
        }

        /// <summary>After Settle returned true: the HTTP status, or -1 when the server was not reached.</summary>
        public int Status { get; private set; }

        /// <summary>After Settle returned true and Status is -1: why.</summary>
        public string Failure
        {
            get { return _failure[0]; }
        }

        /// <summary>After Settle returned true: the answer's body (null when there was none).</summary>
        public string Answer
        {
            get { return _answer[0]; }
        }

        public void Start()
        {
            _startedAt = _time == null ? 0 : _time.Stamp();
            _thread = new Thread(new ThreadStart(Post));
            _thread.Start();
        }

        /// <summary>
        /// Waits at most timeoutMilliseconds for the request to be answered; true when it was (Status tells how).
        /// The HTTP layer bounds the request itself (HttpWebRequestJson.TimeoutMilliseconds per step), so a
        /// timeout here means a stack that ignored its own bounds: the request is then given up.
        /// </summary>
        public bool Settle(int timeoutMilliseconds)
        {
            if (_thread == null || !_thread.Join(timeoutMilliseconds))
            {
                return false;
            }

            if (_time != null)
            {
                _time.WaitUntil(_doneAt);
            }

            return true;
        }

        private void Post()
        {
            if (_time != null)
            {
                _time.Producing(_startedAt);
            }

            try
            {
                Status = _http.Post(_url, _bearer, _body, _answer, _failure);
            }
            catch (Exception e)
            {
                // IJsonHttp does not throw for a network condition; anything else must not end the board's
                // process from a thread nobody joins in time: the request is failed instead.
                Status = -1;
                _failure[0] = e.Message;
            }

            _doneAt = _time == null ? 0 : _time.Stamp();
        }
    }
}

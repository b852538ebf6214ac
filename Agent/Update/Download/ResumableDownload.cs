using SecureOta.Agent.Update.Flow;

namespace SecureOta.Agent.Update.Download
{
    /// <summary>
    /// The data set as a stream over HTTP that survives dropped connections: after a drop it asks for
    /// the rest with "Range: bytes=position-" guarded by "If-Range: the first response's ETag", and
    /// accepts only a 206 whose Content-Range starts exactly at the position, ends at the announced
    /// length and carries the same ETag. A 200 to a range request means the artifact changed or the
    /// server ignores ranges: the download stops rather than splicing two artifacts. Retries back off
    /// exponentially and are bounded both in a row and in total, so a dead network never loops.
    /// </summary>
    public sealed class ResumableDownload : IByteSource
    {
        /// <summary>Failed attempts in a row (no byte received in between) before giving up.</summary>
        public const int MaxFailuresInRow = 6;

        /// <summary>Reconnections per download, whatever progress they make.</summary>
        public const int MaxReconnects = 64;

        public const int FirstBackoffMilliseconds = 500;
        public const int MaxBackoffMilliseconds = 30000;

        // RFC 9110 section 8.8.1: a weak validator starts with W/ and must not be used with If-Range.
        private const string WeakPrefix = "W/";

        private readonly IRangeHttp _http;
        private readonly string _url;
        private readonly long _expectedLength;
        private readonly IDelay _delay;
        private readonly string[] _failure = new string[1];
        private HttpRangeResponse _response;
        private string _etag;
        private long _length = -1;
        private long _position;
        private int _failuresInRow;

        /// <param name="expectedLength">The size the server announced at check-in, or -1.</param>
        public ResumableDownload(IRangeHttp http, string url, long expectedLength, IDelay delay)
        {
            _http = http;
            _url = url;
            _expectedLength = expectedLength;
            _delay = delay;
        }

        public DownloadError Error { get; private set; }

        public int FailureCode
        {
            get { return (int)Error; }
        }

        public string FailureMessage
        {
            get { return ErrorMessage; }
        }

        public string ErrorMessage { get; private set; }

        /// <summary>How many times the download reconnected.</summary>
        public int Reconnects { get; private set; }

        /// <summary>Total milliseconds spent backing off.</summary>
        public long BackoffMilliseconds { get; private set; }

        public long Position
        {
            get { return _position; }
        }

        /// <summary>The data set's length, known once Open succeeded.</summary>
        public long Length
        {
            get { return _length; }
        }

        /// <summary>First request (retried while the network fails). False: see Error.</summary>
        public bool Open()
        {
            while (Error == DownloadError.None)
            {
                HttpRangeResponse r = Attempt(0, null);
                if (r == null)
                {
                    continue;
                }

                if (r.Status != 200)
                {
                    r.Close();
                    return Fail(DownloadError.HttpStatus, "HTTP " + r.Status.ToString() + " for " + _url);
                }

                if (r.ContentLength <= 0 || (_expectedLength >= 0 && r.ContentLength != _expectedLength))
                {
                    r.Close();
                    return Fail(DownloadError.LengthMismatch, "length " + r.ContentLength.ToString() + ", check-in announced " + _expectedLength.ToString());
                }

                _length = r.ContentLength;
                _etag = r.ETag != null && r.ETag.Length > 0 && !r.ETag.StartsWith(WeakPrefix) ? r.ETag : null;
                _response = r;
                return true;
            }

            return false;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            if (_position == _length && _length >= 0)
            {
                return 0;
            }

            if (Error != DownloadError.None || (_response == null && _length < 0))
            {
                return -1;
            }

            if (count > _length - _position)
            {
                count = (int)(_length - _position);
            }

            while (true)
            {
                if (_response == null && !Resume())
                {
                    return -1;
                }

                int n = _response.Read(buffer, offset, count);
                if (n > 0)
                {
                    _position += n;
                    _failuresInRow = 0;
                    return n;
                }

                // The body ended early (0) or the connection failed (-1): resume from here.
                _response.Close();
                _response = null;
                Backoff("connection lost at byte " + _position.ToString());
                if (Error != DownloadError.None)
                {
                    return -1;
                }
            }
        }

        /// <summary>The first response's strong ETag, or null.</summary>
        public string Validator
        {
            get { return _etag; }
        }

        /// <summary>Drops the current connection; the next Read asks for the bytes from position on (Range + If-Range).</summary>
        public bool SeekTo(long position)
        {
            if (Error != DownloadError.None || _length < 0 || position < 0 || position > _length || _etag == null)
            {
                return false;
            }

            Close();
            _position = position;
            return true;
        }

        /// <summary>Closes the connection (the engine calls it whatever the outcome).</summary>
        public void Close()
        {
            if (_response != null)
            {
                _response.Close();
                _response = null;
            }
        }

        private bool Resume()
        {
            while (Error == DownloadError.None)
            {
                if (Reconnects >= MaxReconnects)
                {
                    return Fail(DownloadError.Unreachable, "gave up after " + Reconnects.ToString() + " reconnections");
                }

                if (_etag == null)
                {
                    return Fail(DownloadError.NotResumable, "connection lost at byte " + _position.ToString() + " and the server gave no strong ETag to resume against");
                }

                Reconnects++;
                HttpRangeResponse r = Attempt(_position, _etag);
                if (r == null)
                {
                    continue;
                }

                string problem = CheckResumed(r);
                if (problem != null)
                {
                    r.Close();
                    return false;
                }

                _response = r;
                return true;
            }

            return false;
        }

        // One request. Null after a failure worth retrying (already backed off, or Error set when the
        // retries are used up).
        private HttpRangeResponse Attempt(long from, string ifRange)
        {
            HttpRangeResponse r = _http.Get(_url, from, ifRange, _failure);
            if (r == null)
            {
                Backoff("cannot reach " + _url + ": " + _failure[0]);
                return null;
            }

            if (IsTransient(r.Status))
            {
                r.Close();
                Backoff("server busy (HTTP " + r.Status.ToString() + ")");
                return null;
            }

            return r;
        }

        // Null when r continues exactly where we are; otherwise records the error.
        private string CheckResumed(HttpRangeResponse r)
        {
            if (_position == 0 && r.Status == 200)
            {
                // Nothing received yet: a plain GET was sent; it must be the same artifact.
                if (r.ContentLength != _length || r.ETag != _etag)
                {
                    Fail(DownloadError.ArtifactChanged, "the artifact changed before its first byte arrived");
                    return ErrorMessage;
                }

                return null;
            }

            if (r.Status == 200)
            {
                Fail(DownloadError.RangeRefused, "asked for bytes from " + _position.ToString() + " and got the whole artifact (HTTP 200): it changed or the server ignores ranges; not splicing");
                return ErrorMessage;
            }

            if (r.Status != 206)
            {
                Fail(DownloadError.HttpStatus, "HTTP " + r.Status.ToString() + " when resuming at byte " + _position.ToString());
                return ErrorMessage;
            }

            if (r.ETag != _etag)
            {
                Fail(DownloadError.ArtifactChanged, "ETag changed from " + _etag + " to " + (r.ETag == null ? "none" : r.ETag));
                return ErrorMessage;
            }

            long first, last, complete;
            if (!ContentRange.TryParse(r.ContentRange, out first, out last, out complete) || first != _position || last != _length - 1 || complete != _length)
            {
                Fail(DownloadError.BadContentRange, "asked for bytes " + _position.ToString() + "-" + (_length - 1).ToString() + "/" + _length.ToString() + ", got Content-Range " + (r.ContentRange == null ? "none" : r.ContentRange));
                return ErrorMessage;
            }

            if (r.ContentLength >= 0 && r.ContentLength != _length - _position)
            {
                Fail(DownloadError.BadContentRange, "Content-Length " + r.ContentLength.ToString() + " does not match the range");
                return ErrorMessage;
            }

            return null;
        }

        private void Backoff(string why)
        {
            _failuresInRow++;
            if (_failuresInRow > MaxFailuresInRow)
            {
                Fail(DownloadError.Unreachable, why + "; gave up after " + MaxFailuresInRow.ToString() + " attempts in a row");
                return;
            }

            int wait = FirstBackoffMilliseconds;
            for (int i = 1; i < _failuresInRow && wait < MaxBackoffMilliseconds; i++)
            {
                wait *= 2;
            }

            if (wait > MaxBackoffMilliseconds)
            {
                wait = MaxBackoffMilliseconds;
            }

            BackoffMilliseconds += wait;
            _delay.SleepMilliseconds(wait);
        }

        private bool Fail(DownloadError error, string message)
        {
            Error = error;
            ErrorMessage = message;
            return false;
        }

        private static bool IsTransient(int status)
        {
            return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
        }
    }
}

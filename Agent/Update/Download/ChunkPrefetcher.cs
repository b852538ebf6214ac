using System;
using System.Threading;
using SecureOta.Agent.Update.Flow;

namespace SecureOta.Agent.Update.Download
{
    /// <summary>
    /// Downloads while the caller writes (issue 14, "download while writing"): a reader thread fills one of
    /// two fixed chunk buffers from the source while the caller decrypts, hashes and programs the other.
    /// Memory is the two buffers, whatever the image size; the reader is never more than one chunk ahead,
    /// so the resume journal (written by the caller after each chunk) still describes exactly what is in
    /// flash. Every wait is bounded: a chunk that does not arrive within the wait limit ends the download
    /// as a network failure, and Stop waits a bounded time for the reader to finish its current read.
    /// nanoFramework: Thread, AutoResetEvent.WaitOne(int, bool), lock (../shared/reference/nanoframework.md).
    /// </summary>
    public sealed class ChunkPrefetcher
    {
        /// <summary>Granularity of the bounded waits.</summary>
        private const int WaitStepMilliseconds = 200;

        private readonly IByteSource _source;
        private readonly byte[][] _buffers;
        private readonly int[] _lengths = new int[2];
        private readonly long[] _readyAt = new long[2];
        private readonly long[] _freedAt = new long[2];
        private readonly IPipelineTime _time;
        private readonly int _waitLimitMilliseconds;
        private readonly object _gate = new object();
        private readonly AutoResetEvent _dataReady = new AutoResetEvent(false);
        private readonly AutoResetEvent _spaceFree = new AutoResetEvent(false);
        private long _startedAt;
        private long _remaining;
        private int _produced;
        private int _consumed;
        private bool _stop;
        private bool _failed;
        private bool _readerDone;
        private Thread _reader;

        /// <summary>Reads remaining bytes of source in chunks of the buffers' length (both the same length).</summary>
        public ChunkPrefetcher(IByteSource source, long remaining, byte[] first, byte[] second, IPipelineTime time, int waitLimitMilliseconds)
        {
            _source = source;
            _remaining = remaining;
            _buffers = new byte[][] { first, second };
            _time = time;
            _waitLimitMilliseconds = waitLimitMilliseconds;
        }

        /// <summary>After Next returned -1: a stable code (the source's, or DownloadError.Stalled).</summary>
        public int FailureCode { get; private set; }

        /// <summary>After Next returned -1: what went wrong.</summary>
        public string FailureMessage { get; private set; }

        public void Start()
        {
            _startedAt = _time == null ? 0 : _time.Stamp();
            _freedAt[0] = _freedAt[1] = _startedAt;
            _reader = new Thread(new ThreadStart(ReadAhead));
            _reader.Start();
        }

        /// <summary>
        /// The next chunk (its buffer in buffer): its length, a full chunk except the last, 0 at the end, or
        /// -1 on a failure (FailureCode, FailureMessage). The caller hands the buffer back with Release.
        /// </summary>
        public int Next(out byte[] buffer)
        {
            buffer = null;
            int k = _consumed;
            int slot = k % 2;
            int waited = 0;
            while (true)
            {
                lock (_gate)
                {
                    if (_produced > k)
                    {
                        break;
                    }

                    if (_readerDone)
                    {
                        return _failed ? -1 : 0;
                    }
                }

                if (!_dataReady.WaitOne(WaitStepMilliseconds, false))
                {
                    waited += WaitStepMilliseconds;
                    if (waited >= _waitLimitMilliseconds)
                    {
                        FailureCode = (int)DownloadError.Stalled;
                        FailureMessage = "no payload data for " + (_waitLimitMilliseconds / 1000).ToString() + " s";
                        return -1;
                    }
                }
            }

            if (_time != null)
            {
                _time.WaitUntil(_readyAt[slot]);
            }

            buffer = _buffers[slot];
            return _lengths[slot];
        }

        /// <summary>The chunk Next gave is written: its buffer may be filled again.</summary>
        public void Release()
        {
            int slot = _consumed % 2;
            _freedAt[slot] = _time == null ? 0 : _time.Stamp();
            lock (_gate)
            {
                _consumed++;
            }

            _spaceFree.Set();
        }

        /// <summary>
        /// Ends the reader (it finishes at most its current read) and waits for it, bounded. False when the
        /// reader is still in that read: it may yet write into one of the buffers, so they are not free
        /// until Running turns false.
        /// </summary>
        public bool Stop()
        {
            lock (_gate)
            {
                _stop = true;
            }

            _spaceFree.Set();
            return _reader == null || _reader.Join(_waitLimitMilliseconds);
        }

        /// <summary>Whether the reader thread still runs (after Stop: it is in a read that has not returned).</summary>
        public bool Running
        {
            get { return _reader != null && _reader.IsAlive; }
        }

        private void ReadAhead()
        {
            if (_time != null)
            {
                _time.Producing(_startedAt);
            }

            try
            {
                for (int k = 0; ; k++)
                {
                    int slot = k % 2;
                    if (!WaitForSpace(k))
                    {
                        return;
                    }

                    if (_time != null)
                    {
                        _time.WaitUntil(_freedAt[slot]);
                    }

                    byte[] b = _buffers[slot];
                    int want = _remaining < b.Length ? (int)_remaining : b.Length;
                    int n = SourceReader.ReadFully(_source, b, 0, want);
                    if (n < 0)
                    {
                        Finish(true, _source.FailureCode, _source.FailureMessage);
                        return;
                    }

                    _lengths[slot] = n;
                    _readyAt[slot] = _time == null ? 0 : _time.Stamp();
                    _remaining -= n;
                    lock (_gate)
                    {
                        _produced = k + 1;
                    }

                    _dataReady.Set();
                    if (n < want || _remaining == 0)
                    {
                        // A short chunk: the source ended early; the caller sees it as the last chunk, short.
                        Finish(n < want, _source.FailureCode, "the payload ended " + _remaining.ToString() + " bytes early: " + _source.FailureMessage);
                        return;
                    }
                }
            }
            catch (Exception e)
            {
                Finish(true, 0, "the download's reader failed: " + e.Message);
            }
        }

        // Bounded: the reader gives up when the caller stopped or did not take a chunk within the limit.
        private bool WaitForSpace(int k)
        {
            int waited = 0;
            while (true)
            {
                lock (_gate)
                {
                    if (_stop)
                    {
                        _readerDone = true;
                        return false;
                    }

                    if (k - _consumed < 2)
                    {
                        return true;
                    }
                }

                if (!_spaceFree.WaitOne(WaitStepMilliseconds, false))
                {
                    waited += WaitStepMilliseconds;
                    if (waited >= _waitLimitMilliseconds)
                    {
                        Finish(true, (int)DownloadError.Stalled, "the writer took no chunk for " + (_waitLimitMilliseconds / 1000).ToString() + " s");
                        return false;
                    }
                }
            }
        }

        private void Finish(bool failed, int code, string message)
        {
            lock (_gate)
            {
                if (failed)
                {
                    _failed = true;
                    FailureCode = code;
                    FailureMessage = message;
                }

                _readerDone = true;
            }

            _dataReady.Set();
        }
    }
}

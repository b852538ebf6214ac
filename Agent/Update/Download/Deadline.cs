using System;

namespace SecureOta.Agent.Update.Download
{
    /// <summary>
    /// A point in time after which a response body is no longer read. HttpWebRequest's ReadWriteTimeout
    /// bounds each read only, so a server that sends one byte every few seconds would hold the board
    /// forever (slow retrieval, TUF's "slow retrieval attack"); the board adapters check this before
    /// every read, as the host twin's BodyReader does with its deadline. Environment.TickCount64 is the
    /// monotonic millisecond counter nanoFramework.Runtime.Native declares (System/Environment.cs), so
    /// setting the wall clock (SNTP, Rtc.SetSystemTime) neither shortens nor extends a download.
    /// </summary>
    public sealed class Deadline
    {
        private readonly long _end;

        public Deadline(int milliseconds)
        {
            _end = Environment.TickCount64 + (milliseconds < 0 ? 0 : milliseconds);
        }

        public bool Expired
        {
            get { return Environment.TickCount64 >= _end; }
        }
    }
}

using System.Threading;
using SecureOta.Agent.Update.Download;

namespace SecureOta.Agent.Update.Esp32
{
    /// <summary>Back-off on the board: the calling thread sleeps.</summary>
    public sealed class ThreadDelay : IDelay
    {
        public void SleepMilliseconds(int milliseconds)
        {
            Thread.Sleep(milliseconds);
        }
    }
}

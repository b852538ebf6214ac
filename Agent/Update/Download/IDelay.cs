namespace SecureOta.Agent.Update.Download
{
    /// <summary>
    /// Waiting between retries. The device sleeps (Thread.Sleep); tests and the fleet simulator advance
    /// a virtual clock, so back-off is visible in reports and costs no host time.
    /// </summary>
    public interface IDelay
    {
        void SleepMilliseconds(int milliseconds);
    }
}

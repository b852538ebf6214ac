namespace SecureOta.Agent.Update.Flow
{
    /// <summary>
    /// Time across the download's two threads (ChunkPrefetcher), for a modeled board only: on a real board
    /// time passes by itself and the engine has none (null). A simulator that keeps one virtual clock per
    /// board gives the reader thread its own lane (Producing), stamps what one thread hands to the other
    /// (Stamp: the calling thread's time) and lets the receiver wait until then (WaitUntil), so that the
    /// network and the flash overlap in the model exactly as far as the two buffers let them overlap here.
    /// </summary>
    public interface IPipelineTime
    {
        /// <summary>
        /// Called once by a second thread (the download's reader, a background report) before its first step:
        /// its lane starts at start, the Stamp the starting thread took when it started it (so the model does
        /// not depend on when the host happened to schedule the thread).
        /// </summary>
        void Producing(long start);

        /// <summary>The calling thread's time now.</summary>
        long Stamp();

        /// <summary>The calling thread cannot go on before this time (another thread's Stamp).</summary>
        void WaitUntil(long stamp);
    }
}

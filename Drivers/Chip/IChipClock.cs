namespace SecureOta.Drivers.Chip
{
    /// <summary>
    /// Time for the chip protocol's waits: guard time, NACK polling, retransmission time-outs. On the
    /// device a monotonic clock and sleeps; on the host the emulator's virtual clock, so tests are fast
    /// and deterministic. Every wait in the driver goes through here and is bounded.
    /// </summary>
    public interface IChipClock
    {
        /// <summary>Microseconds since an arbitrary origin, monotonic.</summary>
        long NowMicroseconds { get; }

        /// <summary>Waits at least the given number of microseconds.</summary>
        void Sleep(int microseconds);
    }
}

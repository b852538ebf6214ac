namespace SecureOta.Agent.Update.Flow
{
    /// <summary>What ILocalControl.Signal tells the board's owner (values stable: an LED pattern may map them).</summary>
    public static class LocalSignal
    {
        /// <summary>A verified update is staged and waits for the consent trigger.</summary>
        public const int WaitingForConsent = 1;

        /// <summary>A verified update is staged and waits for its maintenance window.</summary>
        public const int WaitingForWindow = 2;

        /// <summary>The update channel looks blocked (ChannelWatch): no valid freshness statement, or a release withheld.</summary>
        public const int ChannelBlocked = 3;

        /// <summary>Installing now: the board reboots into the boot stage.</summary>
        public const int Installing = 4;
    }
}

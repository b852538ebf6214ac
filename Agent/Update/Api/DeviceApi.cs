namespace SecureOta.Agent.Update.Api
{
    /// <summary>The device API's paths, names and states (docs/device-api.md, one constant per rule).</summary>
    public static class DeviceApi
    {
        /// <summary>Section 1: every path starts with the version.</summary>
        public const string Prefix = "/api/v1/devices/";

        /// <summary>Section 2: a single-use nonce, 32 random bytes as hex.</summary>
        public const string NoncePath = "/nonce";
        public const int NonceLength = 32;

        /// <summary>Section 3: check-in, authenticated by the chip's signature over the check-in digest.</summary>
        public const string CheckInPath = "/checkin";

        /// <summary>Section 3: the domain separator of the signed check-in digest.</summary>
        public const string CheckInDomain = "secureota-checkin-v1";

        /// <summary>Section 4: status reports, with the bearer token check-in returned.</summary>
        public const string StatusPath = "/status";

        /// <summary>Section 4: the states a device reports.</summary>
        public const string StateIdle = "idle", StateDownloading = "downloading", StateVerified = "verified", StateStaged = "staged",
            StateTesting = "testing", StateInstalled = "installed", StateConfirmed = "confirmed", StateFailed = "failed", StateReverted = "reverted";

        /// <summary>Section 4 (issue 18): a verified update is staged and waits for the local trigger, or for its maintenance window.</summary>
        public const string StateWaitingConsent = "waiting-consent", StateWaitingWindow = "waiting-window";

        /// <summary>Section 4 (issue 18): the board's ChannelWatch finds the update channel blocked (section 3a).</summary>
        public const string StateChannelBlocked = "channel-blocked";

        /// <summary>Section 3: the poll interval a server may ask for is clamped to this range (seconds).</summary>
        public const int MinPollSeconds = 10, MaxPollSeconds = 86400, DefaultPollSeconds = 300;
    }
}

namespace SecureOta.Agent
{
    /// <summary>
    /// What a fleet operator sets per build: the server, this device's id, the vendor and class ids
    /// the data sets must name, the I2C pins of the security chip. Wi-Fi credentials are best left out
    /// of the image: deploy them to the config partition with `nanoff --networkdeployment` and leave
    /// WifiSsid null (the agent then reconnects with the stored configuration).
    /// </summary>
    public static class AgentSettings
    {
        /// <summary>
        /// The update server. https:// (update-server --tls-cert/--tls-key) keeps the session token and the
        /// status reports off the air; it needs ServerCaPem. http:// only for a bench network.
        /// </summary>
        public const string ServerUrl = "https://update.example:5443";

        /// <summary>
        /// The CA that issued the server's certificate (PEM, "-----BEGIN CERTIFICATE-----" …): the only CA
        /// the board trusts for the server. Null: https is refused. The server's certificate must name the
        /// host in ServerUrl.
        /// </summary>
        public const string ServerCaPem = null;

        /// <summary>Null: the device id is the chip's UID (OID 0xE0C2) in hex, as registered on the server.</summary>
        public const string DeviceId = null;

        public const string WifiSsid = null;
        public const string WifiPassword = null;

        /// <summary>UUIDv5 ids as hex (update-tool prints them for a vendor domain and a class name).</summary>
        public const string VendorIdHex = "00000000000000000000000000000000";
        public const string ClassIdHex = "00000000000000000000000000000000";

        /// <summary>The running application's version string, reported at check-in.</summary>
        public const string Version = "0.1.0";

        /// <summary>nanoFramework ESP32 defaults for I2C1 (data GPIO18, clock GPIO19); OPTIGA Trust X answers at 0x30.</summary>
        public const int I2cDataPin = 18, I2cClockPin = 19, I2cBusId = 1, ChipAddress = 0x30;

        /// <summary>
        /// The platform binding secret this board shares with its chip (64 bytes hex), which keys the
        /// shielded connection against an attacker on the I2C bus (docs/security-chip.md). Keep it
        /// out of source control: a real product stores it in encrypted flash or eFuse-protected NVS.
        /// </summary>
        public const string PlatformBindingSecretHex = null;

        /// <summary>
        /// Fail closed: without the secret the agent refuses to update. Set false only for a chip that
        /// has no shielded connection (a genuine Trust X), knowing that the I2C bus is then unprotected.
        /// </summary>
        public const bool RequireShieldedConnection = true;

        /// <summary>
        /// Install policy (issue 18, docs/device-api.md section 3): true makes every update wait for the local
        /// consent trigger, whatever the rollout says (a board driving a machine that must not reboot mid-job).
        /// </summary>
        public const bool InstallConsentRequired = false;

        /// <summary>
        /// The consent button (GPIO to ground, held ConsentHoldMilliseconds) and an LED lit while an update
        /// waits or the update channel is blocked; -1: none (then only the application can consent, through
        /// ApplicationControl, and an on-consent update waits for it).
        /// </summary>
        public const int ConsentButtonPin = -1, ConsentLedPin = -1, ConsentHoldMilliseconds = 2000;

        /// <summary>The board's time zone for a rollout's maintenance window, minutes east of UTC.</summary>
        public const int UtcOffsetMinutes = 0;

        /// <summary>
        /// The update channel's freshness (docs/device-api.md 3a): true requires a freshness statement signed by
        /// the server's channel key (its certificate in the chip's trust anchor 0xE0E8, written by the factory)
        /// in every check-in answer. The limit: how long the channel may stay without a valid statement, or
        /// withhold an announced release, before the board reports it blocked; longer than the rollouts' waves.
        /// </summary>
        public const bool RequireChannelFreshness = true;
        public const int ChannelFreshnessLimitSeconds = 7 * 24 * 3600;

        /// <summary>Partition labels of Bootloader/partitions/*.csv.</summary>
        public const string StagingLabel = "staging", BootStateLabel = "bootstate";
        public const long DeployPartitionSize = 0xC0000, NanoclrPartitionSize = 0x180000;

        /// <summary>Bounded waits: Wi-Fi connect, and the pause after a failed cycle before the next.</summary>
        public const int WifiTimeoutMilliseconds = 60000, RetryMilliseconds = 60000;
    }
}

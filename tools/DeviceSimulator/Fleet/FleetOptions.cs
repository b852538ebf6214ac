namespace SecureOta.DeviceSimulator.Fleet;

/// <summary>How a fleet run behaves (device-sim run's options).</summary>
public sealed class FleetOptions
{
    /// <summary>Host time between a device's polls (its modeled clock advances by the server's pollSeconds instead).</summary>
    public TimeSpan PollDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Failed or reverted attempts after which the simulator stops watching a device and counts it failed.</summary>
    public int MaxFailedAttempts { get; init; } = 3;

    /// <summary>Host time after which devices still waiting are reported as pending.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Devices running at the same time (each on its own thread).</summary>
    public int Parallelism { get; init; } = 20;

    public int Seed { get; init; } = 1;

    /// <summary>
    /// Run the boot stage as one bootsim process per boot instead of in process (libbootsim.so, the
    /// default when it is built): the same C code either way; the process is what the C tests run.
    /// </summary>
    public bool BootStageAsProcess { get; init; }

    /// <summary>Boards set to on-consent locally (AgentSettings.InstallConsentRequired): every update waits for the trigger (issue 18).</summary>
    public bool LocalConsent { get; init; }

    /// <summary>Modeled seconds after a board first asks for consent until its operator gives it; negative: never.</summary>
    public int ConsentAfterSeconds { get; init; } = 600;

    /// <summary>Cut each board's power once while it waits for consent or its window (the held update must survive it).</summary>
    public bool PowerCutWhileWaiting { get; init; }

    /// <summary>End a board's run when it reports that it waits (it would go on waiting): its outcome is the waiting state.</summary>
    public bool StopWhenWaiting { get; init; }

    /// <summary>The boards' freshness limit (ChannelWatch), seconds; boards whose chip has a channel trust anchor use it.</summary>
    public int FreshnessLimitSeconds { get; init; } = 7 * 24 * 3600;

    /// <summary>The boards' time zone for maintenance windows, minutes east of UTC.</summary>
    public int UtcOffsetMinutes { get; init; }

    /// <summary>A network attacker who withholds updates (Model/ChannelAttacker: withhold, strip, replay), or null.</summary>
    public string? Attack { get; init; }

    /// <summary>The update server's CA (device-sim --server-ca): boards then reach it over HTTPS, pinned to this CA alone.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ServerCa { get; init; }
}

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

    /// <summary>The update server's CA (device-sim --server-ca): boards then reach it over HTTPS, pinned to this CA alone.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ServerCa { get; init; }
}

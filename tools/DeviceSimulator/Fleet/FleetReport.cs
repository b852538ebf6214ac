namespace SecureOta.DeviceSimulator.Fleet;

/// <summary>The JSON report of a fleet run (device-sim run --report FILE).</summary>
public sealed class FleetReport
{
    public required string Server { get; init; }
    public required string Faults { get; init; }
    public int Devices { get; init; }
    public int Updated { get; init; }
    public int Failed { get; init; }
    public int Reverted { get; init; }
    public int Pending { get; init; }
    public int Errors { get; init; }

    /// <summary>Boards that stopped waiting for consent or their window (FleetOptions.StopWhenWaiting), and boards that found their update channel blocked (issue 18).</summary>
    public int Waiting { get; init; }
    public int ChannelBlocked { get; init; }

    /// <summary>Devices per security-chip part, and how many of each updated.</summary>
    public Dictionary<string, int> Parts { get; init; } = [];
    public Dictionary<string, int> UpdatedByPart { get; init; } = [];

    /// <summary>Versions the devices run at the end, with how many run each.</summary>
    public Dictionary<string, int> Versions { get; init; } = [];
    public int FaultsInjected { get; init; }
    public double HostWallSeconds { get; init; }

    /// <summary>Modeled ESP32 busy time of an update (median and slowest device), seconds.</summary>
    public double ModeledBusyMedian { get; init; }
    public double ModeledBusyMax { get; init; }
    public double ModeledBusyP90 { get; init; }
    public double ModeledBusyP99 { get; init; }

    /// <summary>The updated boards' physical limits (DeviceResult.ModeledLimit), median, and the median of each board's busy time over its limit.</summary>
    public double ModeledLimitMedian { get; init; }
    public double LimitRatioMedian { get; init; }

    /// <summary>Boards per flash layout ("swap", "ab").</summary>
    public Dictionary<string, int> Layouts { get; init; } = [];

    /// <summary>Boards finished (updated, failed, reverted, errors) per host second of the run.</summary>
    public double BoardsPerSecond { get; init; }

    /// <summary>The simulator process's resident memory at its highest during the run (sampled every 0.5 s), MiB.</summary>
    public double PeakMemoryMiB { get; init; }

    /// <summary>How the boards' boot stage ran: in process (libbootsim) or as bootsim processes.</summary>
    public string BootStage { get; init; } = "";
    public required List<DeviceResult> DeviceResults { get; init; }

    public string Summary()
    {
        var versions = Versions.Count == 0 ? "?" : string.Join(", ", Versions.OrderByDescending(v => v.Value).Select(v => Versions.Count == 1 ? v.Key : $"{v.Key} ({v.Value})"));
        var line = $"{Updated}/{Devices} devices updated to {versions}, {Failed} failed, {Reverted} reverted";
        if (Pending > 0) line += $", {Pending} still pending";
        if (Errors > 0) line += $", {Errors} simulator errors";
        if (Waiting > 0) line += $", {Waiting} waiting for consent or their window";
        if (ChannelBlocked > 0) line += $", {ChannelBlocked} found their update channel blocked";
        if (Parts.Count > 1) line += " (" + string.Join(", ", Parts.OrderBy(p => p.Key).Select(p => $"{p.Key} {UpdatedByPart.GetValueOrDefault(p.Key)}/{p.Value}")) + ")";
        return line;
    }
}

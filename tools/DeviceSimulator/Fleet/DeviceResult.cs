namespace SecureOta.DeviceSimulator.Fleet;

/// <summary>One device's line in the JSON report.</summary>
public sealed class DeviceResult
{
    public required string Id { get; init; }

    /// <summary>The security chip's part: trust-x or trust-m.</summary>
    public string Part { get; set; } = "trust-m";

    /// <summary>
    /// updated, failed, reverted, pending (the run ended first), error (the simulator itself failed); with
    /// issue 18: waiting-consent / waiting-window (FleetOptions.StopWhenWaiting), channel-blocked (the board
    /// found its update channel blocked and said so).
    /// </summary>
    public string Outcome { get; set; } = "pending";
    public string? Version { get; set; }
    public long Sequence { get; set; }
    public int Cycles { get; set; }
    public int Reboots { get; set; }
    public List<string> FaultsInjected { get; } = [];
    public List<string> Reports { get; } = [];

    /// <summary>Each status report with the board's modeled clock when it was sent, seconds (the phases of the HTML report).</summary>
    public List<TimelineEntry> Timeline { get; } = [];

    /// <summary>The board's modeled clock at its first offer (its wave was open), seconds; null if none came.</summary>
    public double? FirstOfferSeconds { get; set; }

    /// <summary>Bytes of the data set offered (the check-in answer's size), 0 if none.</summary>
    public long OfferBytes { get; set; }

    /// <summary>The board's flash layout: "swap" or "ab" (docs/boot-protocol.md, "A/B slots").</summary>
    public string Layout { get; set; } = "swap";

    /// <summary>
    /// The physical limit of this board's update under its model (Esp32Model.PhysicalLimit of the offer, plus
    /// its chip time and one plain boot), seconds; 0 if nothing was offered.
    /// </summary>
    public double ModeledLimit { get; set; }
    public long BytesDownloaded { get; set; }
    public int DownloadRequests { get; set; }
    public ModeledTime Modeled { get; set; } = new();
    public double HostSeconds { get; set; }
    public List<string> Log { get; } = [];

    /// <summary>The board's local signals (ILocalControl: waiting for consent or window, channel blocked, installing) with the modeled time.</summary>
    public List<TimelineEntry> Signals { get; } = [];

    /// <summary>The modeled second the board first found its update channel blocked, or null.</summary>
    public double? ChannelBlockedSeconds { get; set; }
}

/// <summary>A status report (downloading, verified, staged, installed, confirmed, failed, reverted) at a modeled time.</summary>
public sealed record TimelineEntry(string State, double Seconds);

/// <summary>
/// A device's modeled ESP32 time, in seconds, by part of the board (waits are poll intervals and back-offs):
/// from the arrival of its first offer (the answer to a routine check-in) to the report of its first
/// confirmed update (the update's time, issue 14's "download to confirmed"), or to the end of the run for a
/// board that confirmed none; a board never offered anything: from power-on. The power-on, the check-in that
/// brought the offer and the idle check-ins of a board waiting for its wave are not the update's; the health
/// check's check-in after the reboot, a failed attempt after the offer, its retries and reboots are.
/// </summary>
public sealed class ModeledTime
{
    public double Total { get; set; }
    public double Network { get; set; }

    /// <summary>Network time the download's reader spent while the writer worked (not in Total: it overlapped).</summary>
    public double OverlappedNetwork { get; set; }
    public double Flash { get; set; }
    public double Crypto { get; set; }
    public double Chip { get; set; }
    public double BootStage { get; set; }
    public double Waiting { get; set; }

    /// <summary>Total minus waiting: the time the board was busy with the update.</summary>
    public double Busy { get; set; }

    /// <summary>The agent's flash wear over the run (the boot stage's own is counted by its C benchmark): erase commands, bytes erased, bytes programmed.</summary>
    public long EraseOperations { get; set; }
    public long BytesErased { get; set; }
    public long BytesWritten { get; set; }

    /// <summary>Command APDUs the board's security chip executed during the run.</summary>
    public long ChipCommands { get; set; }
}

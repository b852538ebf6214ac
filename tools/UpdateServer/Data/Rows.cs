namespace SecureOta.UpdateServer.Data;

/// <summary>A registered device as the admin API lists it.</summary>
public sealed record DeviceRow(string Id, string ClassId, long Sequence, string? Version, string State, long LastSeen, string? LastReason);

/// <summary>An uploaded, verified data set.</summary>
public sealed record DataSetRow(string Digest, long Sequence, string ClassId, string Component, string? Version, long Size);

/// <summary>
/// A rollout's install policy (issue 18, docs/device-api.md section 3): automatic, on-consent, or window
/// (WindowStart..WindowEnd, minutes after the board's local midnight; Deadline, UTC seconds after which the
/// board installs outside its window, 0 for never).
/// </summary>
public sealed record InstallRow(string Policy, int WindowStart, int WindowEnd, long Deadline)
{
    public static readonly InstallRow Automatic = new("automatic", 0, 0, 0);
}

/// <summary>What a check-in offers: the data set and the policy of the rollout that offers it.</summary>
public sealed record OfferRow(DataSetRow DataSet, InstallRow Install);

/// <summary>One wave of a rollout: the cumulative percentage of the class it reaches, its devices and their outcomes.</summary>
public sealed record WaveRow(int Wave, int Percent, int Devices, int Confirmed, int Failed);

/// <summary>
/// A rollout and its progress. Waves are cumulative percentages of the devices (e.g. 10, 50, 100);
/// the next wave starts when SuccessThreshold percent of the current wave's devices confirmed.
/// Confirmed and Failed count the rollout's devices that confirmed, or reported failed/reverted, at its sequence.
/// </summary>
public sealed record RolloutRow(long Id, string Digest, string ClassId, string State, int ErrorThreshold, long Sequence, int Confirmed, int Failed,
    int SuccessThreshold, int CurrentWave, int Devices, List<WaveRow> Waves, InstallRow? Install = null);

/// <summary>One line of the audit log.</summary>
public sealed record AuditRow(long Id, string Action, string Detail, long At);

/// <summary>A device's last reports, newest first (the dashboard's failure list).</summary>
public sealed record ReportRow(string Device, string State, long Sequence, int Failure, int Code, string? Message, long At);

/// <summary>Failed or reverted reports grouped by reason (failure kind and code): how many reports, how many boards, the latest message.</summary>
public sealed record FailureReasonRow(int Failure, int Code, long Reports, long Devices, string? Latest);

/// <summary>A rollout's progress over time: from its creation, each moment a board confirmed or failed, with the totals then.</summary>
public sealed record ProgressRow(long Created, int Devices, List<ProgressPoint> Points);

/// <summary>At unix time At, Confirmed boards had confirmed and Failed had failed or reverted (each board counted once, at its first such report).</summary>
public sealed record ProgressPoint(long At, int Confirmed, int Failed);

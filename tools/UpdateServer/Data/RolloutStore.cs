using System.Security.Cryptography;
using System.Text;
using SecureOta.UpdateServer.Storage;

namespace SecureOta.UpdateServer.Data;

/// <summary>
/// Rollouts (hawkBit's rollout groups, Mender's phased deployments): a data set offered to the
/// devices of its class in waves. At creation the class's devices are put in a stable pseudo-random
/// order (SHA-256 of rollout id and device id) and cut into waves at cumulative percentages; a device
/// gets the offer only when its wave is open. The next wave opens when SuccessThreshold percent of the
/// current wave confirmed; the rollout halts by itself when ErrorThreshold devices failed or reverted,
/// and completes when every device confirmed. Devices registered after the rollout was created are
/// not part of it (create another rollout for them).
/// </summary>
public sealed class RolloutStore(IDatabase db, TimeProvider time)
{
    public const int MaxWaves = 10;

    private long Now => time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Creates a running rollout over the class's current devices; returns its id and the audit lines of any waves opened at once.</summary>
    public (long Id, List<string> Events) Create(DataSetRow dataSet, int[] waves, int successThreshold, int errorThreshold, InstallRow? install = null) =>
        db.Transaction(() =>
        {
            var policy = install ?? InstallRow.Automatic;
            var id = Db.Long(db.Query(
                "INSERT INTO rollouts (digest, class_id, state, created, error_threshold, success_threshold, waves, current_wave, install_policy, window_start, window_end, deadline) " +
                "VALUES (@g, @c, 'running', @t, @e, @s, @w, 0, @p, @ws, @we, @dl) RETURNING id",
                ("@g", dataSet.Digest), ("@c", dataSet.ClassId), ("@t", Now), ("@e", (long)errorThreshold), ("@s", (long)successThreshold),
                ("@w", string.Join(",", waves)), ("@p", policy.Policy), ("@ws", (long)policy.WindowStart), ("@we", (long)policy.WindowEnd), ("@dl", policy.Deadline))[0][0]);
            var devices = db.Query("SELECT id FROM devices WHERE class_id = @c", ("@c", dataSet.ClassId)).Select(r => (string)r[0]!)
                .OrderBy(d => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{id}:{d}"))), StringComparer.Ordinal).ToList();
            for (int i = 0; i < devices.Count; i++)
                db.Execute("INSERT INTO rollout_devices (rollout, device, wave) VALUES (@r, @d, @w)", ("@r", id), ("@d", devices[i]), ("@w", (long)WaveOf(i, devices.Count, waves)));
            return (id, Advance(id));
        });

    /// <summary>The wave of the i-th device of n: the first whose cumulative share covers it.</summary>
    public static int WaveOf(int index, int count, int[] cumulativePercents)
    {
        for (int w = 0; w < cumulativePercents.Length; w++)
            if (index < (count * (long)cumulativePercents[w] + 99) / 100) return w;
        return cumulativePercents.Length - 1;
    }

    /// <summary>Moves a rollout between running, paused, halted and cancelled; false if it does not exist or the move is not allowed.</summary>
    public bool SetState(long id, string state, params string[] from) =>
        db.Execute($"UPDATE rollouts SET state = @s WHERE id = @id AND state IN ({string.Join(",", from.Select((_, i) => "@f" + i))})",
            [("@s", state), ("@id", id), .. from.Select((f, i) => ("@f" + i, (object?)f))]) == 1;

    public List<RolloutRow> List()
    {
        var rows = db.Query(
            "SELECT r.id, r.digest, r.class_id, r.state, r.error_threshold, d.sequence, r.success_threshold, r.current_wave, r.waves, r.install_policy, r.window_start, r.window_end, r.deadline " +
            "FROM rollouts r JOIN datasets d ON d.digest = r.digest ORDER BY r.id");
        var result = new List<RolloutRow>();
        foreach (var r in rows)
        {
            long id = Db.Long(r[0]), sequence = Db.Long(r[5]);
            var percents = ParseWaves((string)r[8]!);
            var stats = WaveStats(id, sequence);
            var waves = percents.Select((p, w) => stats.TryGetValue(w, out var s) ? new WaveRow(w + 1, p, s.Devices, s.Confirmed, s.Failed) : new WaveRow(w + 1, p, 0, 0, 0)).ToList();
            result.Add(new RolloutRow(id, (string)r[1]!, (string)r[2]!, (string)r[3]!, (int)Db.Long(r[4]), sequence,
                waves.Sum(w => w.Confirmed), waves.Sum(w => w.Failed), (int)Db.Long(r[6]), (int)Db.Long(r[7]) + 1, waves.Sum(w => w.Devices), waves,
                new InstallRow((string)r[9]!, (int)Db.Long(r[10]), (int)Db.Long(r[11]), Db.Long(r[12]))));
        }
        return result;
    }

    /// <summary>The newest data set newer than the device's sequence from a running rollout whose open waves include the device.</summary>
    public OfferRow? OfferFor(string device, long sequence)
    {
        var rows = db.Query(
            "SELECT d.digest, d.sequence, d.class_id, d.component, d.version, d.size, r.install_policy, r.window_start, r.window_end, r.deadline FROM rollouts r JOIN datasets d ON d.digest = r.digest " +
            "JOIN rollout_devices rd ON rd.rollout = r.id WHERE rd.device = @id AND rd.wave <= r.current_wave AND r.state = 'running' AND d.sequence > @s " +
            "ORDER BY d.sequence DESC, r.id DESC LIMIT 1",
            ("@id", device), ("@s", sequence));
        return rows.Select(r => new OfferRow(new DataSetRow((string)r[0]!, Db.Long(r[1]), (string)r[2]!, (string)r[3]!, r[4] as string, Db.Long(r[5])),
            new InstallRow((string)r[6]!, (int)Db.Long(r[7]), (int)Db.Long(r[8]), Db.Long(r[9])))).FirstOrDefault();
    }

    /// <summary>
    /// The newest sequence released to a device's class: the highest of the class's running or completed
    /// rollouts (0 when none or no such device), in one query per check-in. The freshness statement announces
    /// it (docs/device-api.md 3a); paused, halted and cancelled rollouts are the vendor's decision to hold a
    /// release back, so they announce nothing.
    /// </summary>
    public long NewestReleasedFor(string device) =>
        db.Query("SELECT max(d.sequence) FROM devices v JOIN rollouts r ON r.class_id = v.class_id JOIN datasets d ON d.digest = r.digest " +
                 "WHERE v.id = @id AND r.state IN ('running', 'completed')",
            ("@id", device)) is [[{ } v, ..], ..] ? Db.Long(v) : 0;

    /// <summary>The rollout's progress over time (the dashboard's chart); null if there is no such rollout.</summary>
    public ProgressRow? Progress(long id)
    {
        var head = db.Query("SELECT r.created, d.sequence, (SELECT count(*) FROM rollout_devices rd WHERE rd.rollout = r.id) FROM rollouts r JOIN datasets d ON d.digest = r.digest WHERE r.id = @id", ("@id", id));
        if (head.Count == 0) return null;
        var reports = db.Query(
            "SELECT p.device, p.state, p.at FROM reports p JOIN rollout_devices rd ON rd.device = p.device AND rd.rollout = @id " +
            "WHERE p.sequence = @q AND p.state IN ('confirmed', 'failed', 'reverted') ORDER BY p.id", ("@id", id), ("@q", Db.Long(head[0][1])));
        var confirmed = new HashSet<string>();
        var failed = new HashSet<string>();
        var points = new List<ProgressPoint>();
        foreach (var r in reports)
        {
            var device = (string)r[0]!;
            bool changed = (string)r[1]! == "confirmed" ? confirmed.Add(device) : failed.Add(device);
            if (changed) points.Add(new ProgressPoint(Db.Long(r[2]), confirmed.Count, failed.Count));
        }
        return new ProgressRow(Db.Long(head[0][0]), (int)Db.Long(head[0][2]), points);
    }

    /// <summary>Whether a running rollout of the data set with this sequence includes the device.</summary>
    public bool IsRunningFor(string device, long sequence) =>
        db.Query("SELECT 1 FROM rollouts r JOIN datasets d ON d.digest = r.digest JOIN rollout_devices rd ON rd.rollout = r.id " +
                 "WHERE rd.device = @d AND d.sequence = @s AND r.state = 'running' LIMIT 1", ("@d", device), ("@s", sequence)).Count == 1;

    /// <summary>
    /// After a device's report: a confirmation may open the next wave or complete a rollout; a failure
    /// may halt rollouts at their error threshold. Returns the audit lines of what changed.
    /// </summary>
    public List<string> OnReport(string device, long sequence, string state)
    {
        var events = new List<string>();
        var ids = db.Query(
            "SELECT r.id FROM rollouts r JOIN datasets d ON d.digest = r.digest JOIN rollout_devices rd ON rd.rollout = r.id " +
            "WHERE rd.device = @d AND d.sequence = @s AND r.state = 'running'", ("@d", device), ("@s", sequence)).Select(r => Db.Long(r[0])).ToList();
        foreach (var id in ids)
        {
            if (state == "confirmed") events.AddRange(db.Transaction(() => Advance(id)));
            else if (state is "failed" or "reverted")
            {
                // Only this rollout's failed devices against its threshold (not every rollout's progress).
                int threshold = (int)Db.Long(db.Query("SELECT error_threshold FROM rollouts WHERE id = @id", ("@id", id))[0][0]);
                int failed = WaveStats(id, sequence).Values.Sum(w => w.Failed);
                if (failed >= threshold && SetState(id, "halted", "running"))
                    events.Add($"halt-rollout {id}: error threshold {threshold} reached ({device} reported {state})");
            }
        }
        return events;
    }

    // Opens waves while the current one reached its success threshold; completes when all confirmed.
    // Exactly once across replicas: on PostgreSQL the rollout's row is locked (FOR UPDATE) before anything
    // is read, so two replicas confirming devices at the same moment advance one after the other, the
    // second seeing the first's wave and every report committed before it; SQLite's BEGIN IMMEDIATE
    // serialises the whole transaction anyway.
    private List<string> Advance(long id)
    {
        var events = new List<string>();
        var r = db.Query("SELECT r.state, r.current_wave, r.success_threshold, r.waves, d.sequence FROM rollouts r JOIN datasets d ON d.digest = r.digest WHERE r.id = @id"
            + (db.Dialect == SqlDialect.Postgres ? " FOR UPDATE OF r" : ""), ("@id", id))[0];
        if ((string)r[0]! != "running") return events;
        int current = (int)Db.Long(r[1]), threshold = (int)Db.Long(r[2]);
        int last = ParseWaves((string)r[3]!).Length - 1;
        var stats = WaveStats(id, Db.Long(r[4]));
        while (true)
        {
            var (devices, confirmed, _) = stats.GetValueOrDefault(current);
            if (confirmed < (devices * (long)threshold + 99) / 100) break;
            if (current < last)
            {
                current++;
                db.Execute("UPDATE rollouts SET current_wave = @w WHERE id = @id", ("@w", (long)current), ("@id", id));
                events.Add($"advance-rollout {id}: wave {current + 1} of {last + 1} opened ({confirmed} of {devices} devices of wave {current} confirmed)");
                continue;
            }
            if (stats.Values.Sum(s => s.Confirmed) == stats.Values.Sum(s => s.Devices) && SetState(id, "completed", "running"))
                events.Add($"complete-rollout {id}: every device confirmed");
            break;
        }
        return events;
    }

    private Dictionary<int, (int Devices, int Confirmed, int Failed)> WaveStats(long id, long sequence) =>
        db.Query(
            "SELECT rd.wave, count(*), " +
            "count(CASE WHEN EXISTS (SELECT 1 FROM reports p WHERE p.device = rd.device AND p.sequence = @q AND p.state = 'confirmed') THEN 1 END), " +
            "count(CASE WHEN EXISTS (SELECT 1 FROM reports p WHERE p.device = rd.device AND p.sequence = @q AND p.state IN ('failed', 'reverted')) THEN 1 END) " +
            "FROM rollout_devices rd WHERE rd.rollout = @id GROUP BY rd.wave", ("@id", id), ("@q", sequence))
            .ToDictionary(r => (int)Db.Long(r[0]), r => ((int)Db.Long(r[1]), (int)Db.Long(r[2]), (int)Db.Long(r[3])));

    public static int[] ParseWaves(string text) => text.Split(',').Select(int.Parse).ToArray();

    /// <summary>Checks waves given by an admin: 1..10 strictly increasing cumulative percentages, the last 100; null if valid, else the reason.</summary>
    public static string? CheckWaves(int[] waves)
    {
        if (waves.Length is 0 or > MaxWaves) return $"waves: 1 to {MaxWaves} cumulative percentages, e.g. [10, 50, 100]";
        for (int i = 0; i < waves.Length; i++)
            if (waves[i] is < 1 or > 100 || (i > 0 && waves[i] <= waves[i - 1])) return "waves: strictly increasing percentages from 1 to 100, e.g. [10, 50, 100]";
        return waves[^1] == 100 ? null : "waves: the last wave must reach 100 (percent of the class)";
    }
}

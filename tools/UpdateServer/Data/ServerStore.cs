using System.Security.Cryptography;
using SecureOta.UpdateServer.Storage.Sqlite;

namespace SecureOta.UpdateServer.Data;

/// <summary>A registered device as the admin API lists it.</summary>
public sealed record DeviceRow(string Id, string ClassId, long Sequence, string? Version, string State, long LastSeen, string? LastReason);

/// <summary>A rollout and its progress.</summary>
public sealed record RolloutRow(long Id, string Digest, string ClassId, string State, int ErrorThreshold, long Sequence, int Confirmed, int Failed);

/// <summary>An uploaded, verified data set.</summary>
public sealed record DataSetRow(string Digest, long Sequence, string ClassId, string Component, string? Version, long Size);

/// <summary>
/// The server's state in SQLite: devices, single-use nonces, session tokens, data sets, rollouts,
/// status reports and the admin audit log. Secrets (admin token, session tokens) are stored as
/// SHA-256 hashes only.
/// </summary>
public sealed class ServerStore : IDisposable
{
    private readonly SqliteDatabase _db;
    private readonly TimeProvider _time;

    public ServerStore(string dataDirectory, TimeProvider time)
    {
        Directory.CreateDirectory(dataDirectory);
        _db = SqliteDatabase.Open(Path.Combine(dataDirectory, "update-server.db"));
        _time = time;
        foreach (var ddl in Schema) _db.Execute(ddl);
    }

    private static readonly string[] Schema =
    [
        "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, class_id TEXT NOT NULL, certificate BLOB NOT NULL, sequence INTEGER NOT NULL DEFAULT 0, version TEXT, state TEXT NOT NULL DEFAULT 'registered', last_seen INTEGER NOT NULL DEFAULT 0, last_reason TEXT)",
        "CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, device TEXT NOT NULL, expires INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, device TEXT NOT NULL, expires INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS datasets (digest TEXT PRIMARY KEY, sequence INTEGER NOT NULL, class_id TEXT NOT NULL, component TEXT NOT NULL, version TEXT, size INTEGER NOT NULL, uploaded INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS rollouts (id INTEGER PRIMARY KEY AUTOINCREMENT, digest TEXT NOT NULL REFERENCES datasets(digest), class_id TEXT NOT NULL, state TEXT NOT NULL, created INTEGER NOT NULL, error_threshold INTEGER NOT NULL DEFAULT 1)",
        "CREATE TABLE IF NOT EXISTS reports (id INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT NOT NULL, state TEXT NOT NULL, sequence INTEGER NOT NULL, failure INTEGER NOT NULL, code INTEGER NOT NULL, message TEXT, at INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL, detail TEXT NOT NULL, at INTEGER NOT NULL)",
    ];

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    /// <summary>The admin token: the given one, the stored one, or a new one (returned so it can be printed once).</summary>
    public string? EnsureAdminToken(string? given)
    {
        if (given is not null)
        {
            _db.Execute("INSERT INTO settings VALUES ('admin_token', $h) ON CONFLICT(name) DO UPDATE SET value = $h", ("$h", Hash(given)));
            return null;
        }
        if (_db.Query("SELECT 1 FROM settings WHERE name = 'admin_token'").Count > 0) return null;
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        _db.Execute("INSERT INTO settings VALUES ('admin_token', $h)", ("$h", Hash(token)));
        return token;
    }

    public bool IsAdmin(string? token)
    {
        if (token is null) return false;
        var stored = _db.Query("SELECT value FROM settings WHERE name = 'admin_token'");
        return stored.Count == 1 && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes((string)stored[0][0]!), System.Text.Encoding.ASCII.GetBytes(Hash(token)));
    }

    public void Audit(string action, string detail) =>
        _db.Execute("INSERT INTO audit (action, detail, at) VALUES ($a, $d, $t)", ("$a", action), ("$d", detail), ("$t", Now));

    public List<(string Action, string Detail)> AuditLog() =>
        _db.Query("SELECT action, detail FROM audit ORDER BY id").Select(r => ((string)r[0]!, (string)r[1]!)).ToList();

    /// <summary>Registers a device; false if the id is taken.</summary>
    public bool RegisterDevice(string id, string classId, byte[] certificate)
    {
        try
        {
            _db.Execute("INSERT INTO devices (id, class_id, certificate) VALUES ($id, $c, $cert)", ("$id", id), ("$c", classId), ("$cert", certificate));
            return true;
        }
        catch (SqliteException e) when (e.IsConstraint)
        {
            return false;
        }
    }

    public byte[]? DeviceCertificate(string id) =>
        _db.Query("SELECT certificate FROM devices WHERE id = $id", ("$id", id)).FirstOrDefault()?[0] as byte[];

    public List<DeviceRow> Devices() =>
        _db.Query("SELECT id, class_id, sequence, version, state, last_seen, last_reason FROM devices ORDER BY id")
            .Select(r => new DeviceRow((string)r[0]!, (string)r[1]!, (long)r[2]!, r[3] as string, (string)r[4]!, (long)r[5]!, r[6] as string)).ToList();

    public string NewNonce(string device, TimeSpan lifetime)
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        _db.Execute("DELETE FROM nonces WHERE expires < $now", ("$now", Now));
        _db.Execute("INSERT INTO nonces VALUES ($n, $d, $e)", ("$n", nonce), ("$d", device), ("$e", Now + (long)lifetime.TotalSeconds));
        return nonce;
    }

    /// <summary>Consumes a nonce issued to this device and still valid; false otherwise (and it is gone either way).</summary>
    public bool ConsumeNonce(string device, string nonce)
    {
        var rows = _db.Query("DELETE FROM nonces WHERE nonce = $n RETURNING device, expires", ("$n", nonce));
        return rows.Count == 1 && (string)rows[0][0]! == device && (long)rows[0][1]! >= Now;
    }

    public string NewToken(string device, TimeSpan lifetime)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        _db.Execute("INSERT INTO tokens VALUES ($h, $d, $e)", ("$h", Hash(token)), ("$d", device), ("$e", Now + (long)lifetime.TotalSeconds));
        return token;
    }

    /// <summary>The device a valid session token belongs to, or null.</summary>
    public string? TokenDevice(string? token)
    {
        if (token is null) return null;
        var rows = _db.Query("SELECT device FROM tokens WHERE hash = $h AND expires >= $now", ("$h", Hash(token)), ("$now", Now));
        return rows.Count == 1 ? (string)rows[0][0]! : null;
    }

    public void RecordCheckIn(string device, long sequence, string? version, string state) =>
        _db.Execute("UPDATE devices SET sequence = $s, version = $v, state = $st, last_seen = $t WHERE id = $id",
            ("$s", sequence), ("$v", version), ("$st", state), ("$t", Now), ("$id", device));

    public void RecordReport(string device, string state, long sequence, int failure, int code, string? message) =>
        _db.Transaction(() =>
        {
            _db.Execute("INSERT INTO reports (device, state, sequence, failure, code, message, at) VALUES ($d, $s, $q, $f, $c, $m, $t)",
                ("$d", device), ("$s", state), ("$q", sequence), ("$f", failure), ("$c", code), ("$m", message), ("$t", Now));
            return _db.Execute("UPDATE devices SET state = $s, last_seen = $t, last_reason = $r WHERE id = $d",
                ("$s", state), ("$t", Now), ("$r", failure == 0 ? null : $"{failure}/{code}: {message}"), ("$d", device));
        });

    public List<(string State, long Sequence, int Failure, int Code)> Reports(string device) =>
        _db.Query("SELECT state, sequence, failure, code FROM reports WHERE device = $d ORDER BY id", ("$d", device))
            .Select(r => ((string)r[0]!, (long)r[1]!, (int)(long)r[2]!, (int)(long)r[3]!)).ToList();

    public void AddDataSet(DataSetRow d) =>
        _db.Execute("INSERT OR IGNORE INTO datasets VALUES ($g, $s, $c, $k, $v, $z, $t)",
            ("$g", d.Digest), ("$s", d.Sequence), ("$c", d.ClassId), ("$k", d.Component), ("$v", d.Version), ("$z", d.Size), ("$t", Now));

    public DataSetRow? DataSet(string digest) =>
        _db.Query("SELECT digest, sequence, class_id, component, version, size FROM datasets WHERE digest = $g", ("$g", digest))
            .Select(r => new DataSetRow((string)r[0]!, (long)r[1]!, (string)r[2]!, (string)r[3]!, r[4] as string, (long)r[5]!)).FirstOrDefault();

    public long CreateRollout(string digest, string classId, int errorThreshold) =>
        _db.Transaction(() =>
        {
            _db.Execute("INSERT INTO rollouts (digest, class_id, state, created, error_threshold) VALUES ($g, $c, 'running', $t, $e)",
                ("$g", digest), ("$c", classId), ("$t", Now), ("$e", errorThreshold));
            return (long)_db.Query("SELECT max(id) FROM rollouts")[0][0]!;
        });

    /// <summary>Moves a rollout between running, paused, halted and cancelled; false if it does not exist or the move is not allowed.</summary>
    public bool SetRolloutState(long id, string state, params string[] from) =>
        _db.Execute($"UPDATE rollouts SET state = $s WHERE id = $id AND state IN ({string.Join(",", from.Select((_, i) => "$f" + i))})",
            [("$s", state), ("$id", id), .. from.Select((f, i) => ("$f" + i, (object?)f))]) == 1;

    /// <summary>Rollouts with their progress: devices confirmed and devices failed or reverted at the data set's sequence.</summary>
    public List<RolloutRow> Rollouts() =>
        _db.Query(
            "SELECT r.id, r.digest, r.class_id, r.state, r.error_threshold, d.sequence, " +
            "(SELECT count(DISTINCT p.device) FROM reports p JOIN devices v ON v.id = p.device WHERE v.class_id = r.class_id AND p.sequence = d.sequence AND p.state = 'confirmed'), " +
            "(SELECT count(DISTINCT p.device) FROM reports p JOIN devices v ON v.id = p.device WHERE v.class_id = r.class_id AND p.sequence = d.sequence AND p.state IN ('failed','reverted')) " +
            "FROM rollouts r JOIN datasets d ON d.digest = r.digest ORDER BY r.id")
            .Select(r => new RolloutRow((long)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!, (int)(long)r[4]!, (long)r[5]!, (int)(long)r[6]!, (int)(long)r[7]!)).ToList();

    /// <summary>After a failure report: halts every running rollout of that sequence for the device's class whose failures reached its threshold.</summary>
    public List<long> HaltRolloutsAtThreshold(string device, long sequence)
    {
        var classId = _db.Query("SELECT class_id FROM devices WHERE id = $d", ("$d", device)).FirstOrDefault()?[0] as string;
        var halted = new List<long>();
        foreach (var r in Rollouts().Where(r => r.State == "running" && r.ClassId == classId && r.Sequence == sequence && r.Failed >= r.ErrorThreshold))
            if (SetRolloutState(r.Id, "halted", "running")) halted.Add(r.Id);
        return halted;
    }

    /// <summary>The newest running rollout's data set for this device's class that is newer than what it runs.</summary>
    public DataSetRow? OfferFor(string device, long sequence)
    {
        var rows = _db.Query(
            "SELECT d.digest, d.sequence, d.class_id, d.component, d.version, d.size FROM rollouts r JOIN datasets d ON d.digest = r.digest " +
            "JOIN devices v ON v.class_id = r.class_id WHERE v.id = $id AND r.state = 'running' AND d.sequence > $s ORDER BY d.sequence DESC LIMIT 1",
            ("$id", device), ("$s", sequence));
        return rows.Select(r => new DataSetRow((string)r[0]!, (long)r[1]!, (string)r[2]!, (string)r[3]!, r[4] as string, (long)r[5]!)).FirstOrDefault();
    }

    public void Dispose() => _db.Dispose();
}

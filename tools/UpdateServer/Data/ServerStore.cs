using System.Security.Cryptography;
using SecureOta.UpdateServer.Storage;
using SecureOta.UpdateServer.Storage.Postgres;
using SecureOta.UpdateServer.Storage.Sqlite;

namespace SecureOta.UpdateServer.Data;

/// <summary>
/// The server's state: devices, single-use nonces, session tokens, data sets, status reports and the
/// admin audit log (rollouts: <see cref="Rollouts"/>). SQLite in the data directory by default,
/// PostgreSQL when a connection string is given. Secrets (admin token, session tokens) are stored as
/// SHA-256 hashes only.
/// </summary>
public sealed class ServerStore : IDisposable
{
    private readonly IDatabase _db;
    private readonly TimeProvider _time;

    public ServerStore(IDatabase db, TimeProvider time)
    {
        _db = db;
        _time = time;
        Schema.Apply(db);
        Rollouts = new RolloutStore(db, time);
    }

    /// <summary>SQLite in DIR/update-server.db, or PostgreSQL when postgresConnection is given.</summary>
    public static ServerStore Open(string dataDirectory, string? postgresConnection, TimeProvider time)
    {
        Directory.CreateDirectory(dataDirectory);
        IDatabase db = postgresConnection is null
            ? SqliteDatabase.Open(Path.Combine(dataDirectory, "update-server.db"))
            : PostgresDatabase.Open(postgresConnection);
        try
        {
            return new ServerStore(db, time);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public RolloutStore Rollouts { get; }

    /// <summary>NOTIFY on a PostgreSQL channel (only with --db): every replica's listener hears it.</summary>
    public bool Notify(string channel, string payload) => PostgresListener.Notify(_db, channel, payload);

    public SqlDialect Dialect => _db.Dialect;

    private long Now => _time.GetUtcNow().ToUnixTimeSeconds();

    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    /// <summary>The admin token: the given one, the stored one, or a new one (returned so it can be printed once).</summary>
    public string? EnsureAdminToken(string? given)
    {
        if (given is not null)
        {
            if (given.Trim().Length == 0) throw new InvalidOperationException("the admin token is empty: nobody could use the admin API (S6)");
            _db.Execute("INSERT INTO settings (name, value) VALUES ('admin_token', @h) ON CONFLICT (name) DO UPDATE SET value = @h", ("@h", Hash(given)));
            return null;
        }
        if (_db.Query("SELECT 1 FROM settings WHERE name = 'admin_token'").Count > 0) return null;
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        _db.Execute("INSERT INTO settings (name, value) VALUES ('admin_token', @h)", ("@h", Hash(token)));
        return token;
    }

    public bool IsAdmin(string? token)
    {
        if (token is null) return false;
        var stored = _db.Query("SELECT value FROM settings WHERE name = 'admin_token'");
        return stored.Count == 1 && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes((string)stored[0][0]!), System.Text.Encoding.ASCII.GetBytes(Hash(token)));
    }

    /// <summary>Runs work in one transaction of the store (all of it or none; nested store calls join it).</summary>
    public T InTransaction<T>(Func<T> work) => _db.Transaction(work);

    public void Audit(string action, string detail) =>
        _db.Execute("INSERT INTO audit (action, detail, at) VALUES (@a, @d, @t)", ("@a", action), ("@d", detail), ("@t", Now));

    public List<AuditRow> AuditLog() =>
        _db.Query("SELECT id, action, detail, at FROM audit ORDER BY id").Select(r => new AuditRow(Db.Long(r[0]), (string)r[1]!, (string)r[2]!, Db.Long(r[3]))).ToList();

    /// <summary>Registers a device; false if the id is taken.</summary>
    public bool RegisterDevice(string id, string classId, byte[] certificate) =>
        _db.Query("INSERT INTO devices (id, class_id, certificate) VALUES (@id, @c, @cert) ON CONFLICT (id) DO NOTHING RETURNING id",
            ("@id", id), ("@c", classId), ("@cert", certificate)).Count == 1;

    public byte[]? DeviceCertificate(string id) =>
        _db.Query("SELECT certificate FROM devices WHERE id = @id", ("@id", id)).FirstOrDefault()?[0] as byte[];

    public List<DeviceRow> Devices() =>
        _db.Query("SELECT id, class_id, sequence, version, state, last_seen, last_reason FROM devices ORDER BY id")
            .Select(r => new DeviceRow((string)r[0]!, (string)r[1]!, Db.Long(r[2]), r[3] as string, (string)r[4]!, Db.Long(r[5]), r[6] as string)).ToList();

    /// <summary>A stored nonce for a registered device, or null when maxOutstanding unexpired nonces exist already.</summary>
    public string? NewNonce(string device, TimeSpan lifetime, int maxOutstanding = int.MaxValue)
    {
        var nonce = UnstoredNonce();
        _db.Execute("DELETE FROM nonces WHERE expires < @now", ("@now", Now));
        if (Db.Long(_db.Query("SELECT COUNT(*) FROM nonces")[0][0]) >= maxOutstanding) return null;
        _db.Execute("INSERT INTO nonces (nonce, device, expires) VALUES (@n, @d, @e)", ("@n", nonce), ("@d", device), ("@e", Now + (long)lifetime.TotalSeconds));
        return nonce;
    }

    /// <summary>A nonce in the same form, kept nowhere: the answer for an unknown id (it can never check in).</summary>
    public static string UnstoredNonce() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    /// <summary>Consumes a nonce issued to this device and still valid; false otherwise (and it is gone either way).</summary>
    public bool ConsumeNonce(string device, string nonce)
    {
        var rows = _db.Query("DELETE FROM nonces WHERE nonce = @n RETURNING device, expires", ("@n", nonce));
        return rows.Count == 1 && (string)rows[0][0]! == device && Db.Long(rows[0][1]) >= Now;
    }

    public string NewToken(string device, TimeSpan lifetime)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        _db.Execute("INSERT INTO tokens (hash, device, expires) VALUES (@h, @d, @e)", ("@h", Hash(token)), ("@d", device), ("@e", Now + (long)lifetime.TotalSeconds));
        return token;
    }

    /// <summary>The device a valid session token belongs to, or null.</summary>
    public string? TokenDevice(string? token)
    {
        if (token is null) return null;
        var rows = _db.Query("SELECT device FROM tokens WHERE hash = @h AND expires >= @now", ("@h", Hash(token)), ("@now", Now));
        return rows.Count == 1 ? (string)rows[0][0]! : null;
    }

    /// <summary>
    /// A check-in: the device's sequence, version and state. An idle check-in at the sequence it confirmed
    /// keeps "confirmed" (the board's next polls say nothing new), so the fleet view shows who is done.
    /// </summary>
    public void RecordCheckIn(string device, long sequence, string? version, string state) =>
        _db.Execute("UPDATE devices SET state = CASE WHEN @st = 'idle' AND state = 'confirmed' AND sequence = @s THEN 'confirmed' ELSE @st END, " +
                    "sequence = @s, version = @v, last_seen = @t WHERE id = @id",
            ("@s", sequence), ("@v", version), ("@st", state), ("@t", Now), ("@id", device));

    public void RecordReport(string device, string state, long sequence, int failure, int code, string? message) =>
        _db.Transaction(() =>
        {
            _db.Execute("INSERT INTO reports (device, state, sequence, failure, code, message, at) VALUES (@d, @s, @q, @f, @c, @m, @t)",
                ("@d", device), ("@s", state), ("@q", sequence), ("@f", (long)failure), ("@c", (long)code), ("@m", message), ("@t", Now));
            return _db.Execute("UPDATE devices SET state = @s, last_seen = @t, last_reason = @r WHERE id = @d",
                ("@s", state), ("@t", Now), ("@r", failure == 0 ? null : $"{failure}/{code}: {message}"), ("@d", device));
        });

    /// <summary>Whether the device reported state for sequence.</summary>
    public bool HasReport(string device, long sequence, string state) =>
        _db.Query("SELECT 1 FROM reports WHERE device = @d AND sequence = @s AND state = @st LIMIT 1", ("@d", device), ("@s", sequence), ("@st", state)).Count == 1;

    public List<(string State, long Sequence, int Failure, int Code)> Reports(string device) =>
        _db.Query("SELECT state, sequence, failure, code FROM reports WHERE device = @d ORDER BY id", ("@d", device))
            .Select(r => ((string)r[0]!, Db.Long(r[1]), (int)Db.Long(r[2]), (int)Db.Long(r[3]))).ToList();

    /// <summary>Every report a device sent, oldest first, at most limit of the newest (the dashboard's device history).</summary>
    public List<ReportRow> History(string device, int limit) =>
        _db.Query("SELECT device, state, sequence, failure, code, message, at FROM (SELECT id, device, state, sequence, failure, code, message, at FROM reports WHERE device = @d ORDER BY id DESC LIMIT @n) newest ORDER BY id",
                ("@d", device), ("@n", (long)limit))
            .Select(r => new ReportRow((string)r[0]!, (string)r[1]!, Db.Long(r[2]), (int)Db.Long(r[3]), (int)Db.Long(r[4]), r[5] as string, Db.Long(r[6]))).ToList();

    /// <summary>Every failed or reverted report of the fleet by reason, the most frequent first (the dashboard's breakdown).</summary>
    public List<FailureReasonRow> FailureReasons() =>
        _db.Query("SELECT failure, code, count(*), count(DISTINCT device), " +
                  "(SELECT message FROM reports m WHERE m.failure = r.failure AND m.code = r.code AND m.state IN ('failed', 'reverted') ORDER BY m.id DESC LIMIT 1) " +
                  "FROM reports r WHERE state IN ('failed', 'reverted') GROUP BY failure, code ORDER BY count(*) DESC, failure, code")
            .Select(r => new FailureReasonRow((int)Db.Long(r[0]), (int)Db.Long(r[1]), Db.Long(r[2]), Db.Long(r[3]), r[4] as string)).ToList();

    /// <summary>The newest failed or reverted reports of the fleet (the dashboard's failure list).</summary>
    public List<ReportRow> RecentFailures(int limit) =>
        _db.Query("SELECT device, state, sequence, failure, code, message, at FROM reports WHERE state IN ('failed', 'reverted') ORDER BY id DESC LIMIT @n", ("@n", (long)limit))
            .Select(r => new ReportRow((string)r[0]!, (string)r[1]!, Db.Long(r[2]), (int)Db.Long(r[3]), (int)Db.Long(r[4]), r[5] as string, Db.Long(r[6]))).ToList();

    public void AddDataSet(DataSetRow d) =>
        _db.Execute("INSERT INTO datasets (digest, sequence, class_id, component, version, size, uploaded) VALUES (@g, @s, @c, @k, @v, @z, @t) ON CONFLICT (digest) DO NOTHING",
            ("@g", d.Digest), ("@s", d.Sequence), ("@c", d.ClassId), ("@k", d.Component), ("@v", d.Version), ("@z", d.Size), ("@t", Now));

    public DataSetRow? DataSet(string digest) =>
        _db.Query("SELECT digest, sequence, class_id, component, version, size FROM datasets WHERE digest = @g", ("@g", digest))
            .Select(r => new DataSetRow((string)r[0]!, Db.Long(r[1]), (string)r[2]!, (string)r[3]!, r[4] as string, Db.Long(r[5]))).FirstOrDefault();

    public void Dispose() => _db.Dispose();
}

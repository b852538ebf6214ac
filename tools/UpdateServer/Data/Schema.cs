using SecureOta.UpdateServer.Storage;

namespace SecureOta.UpdateServer.Data;

/// <summary>
/// The server's tables, in the dialect of its database (SQLite by default, PostgreSQL), and the forward-only
/// migrations between their versions (issue 15). Statements elsewhere are written to run on both: named
/// @parameters, ON CONFLICT, RETURNING. A migration never changes once released: a new change is a new
/// version appended to <see cref="Migrations"/>, and a database made by any earlier release is brought up to
/// date at start, one version per transaction. A database of a newer release is refused (the server is
/// never downgraded under it), and so is one with our table names that no release of ours stamped.
/// Why not DbUp (dbup-sqlite, dbup-postgresql): it opens its own connections from a connection string,
/// while the store runs over IDatabase (one locked SQLite connection, a pooled Npgsql data source) whose
/// transactions the migrations must share to stamp the version in the same commit.
/// </summary>
public static class Schema
{
    /// <summary>One version: what it changes, and its statements in the given dialect.</summary>
    public sealed record Migration(int Version, string Change, Func<SqlDialect, string[]> Statements);

    /// <summary>Every version, oldest first. Version 2 is the schema the first stamping release created.</summary>
    public static readonly Migration[] Migrations =
    [
        new(2, "the tables of the first stamped release", Version2),
        new(3, "indexes for the nonce clean-up on every nonce request and the rollout's devices of a class",
            _ => ["CREATE INDEX IF NOT EXISTS nonces_by_expiry ON nonces (expires)", "CREATE INDEX IF NOT EXISTS devices_by_class ON devices (class_id)"]),
        new(4, "a rollout's install policy (issue 18): automatic, on-consent, or a maintenance window with an optional deadline", Version4),
    ];

    private static string[] Version4(SqlDialect dialect)
    {
        string Int = dialect == SqlDialect.Postgres ? "BIGINT" : "INTEGER";
        return
        [
            "ALTER TABLE rollouts ADD COLUMN install_policy TEXT NOT NULL DEFAULT 'automatic'",
            $"ALTER TABLE rollouts ADD COLUMN window_start {Int} NOT NULL DEFAULT 0",
            $"ALTER TABLE rollouts ADD COLUMN window_end {Int} NOT NULL DEFAULT 0",
            $"ALTER TABLE rollouts ADD COLUMN deadline {Int} NOT NULL DEFAULT 0",
        ];
    }

    /// <summary>The version this server brings every database to.</summary>
    public static int Latest => Migrations[^1].Version;

    private static string[] Version2(SqlDialect dialect)
    {
        bool pg = dialect == SqlDialect.Postgres;
        string Int = pg ? "BIGINT" : "INTEGER", Blob = pg ? "BYTEA" : "BLOB", Serial = pg ? "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
        return
        [
            "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            $"CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, class_id TEXT NOT NULL, certificate {Blob} NOT NULL, sequence {Int} NOT NULL DEFAULT 0, version TEXT, state TEXT NOT NULL DEFAULT 'registered', last_seen {Int} NOT NULL DEFAULT 0, last_reason TEXT)",
            $"CREATE TABLE IF NOT EXISTS nonces (nonce TEXT PRIMARY KEY, device TEXT NOT NULL, expires {Int} NOT NULL)",
            $"CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, device TEXT NOT NULL, expires {Int} NOT NULL)",
            $"CREATE TABLE IF NOT EXISTS datasets (digest TEXT PRIMARY KEY, sequence {Int} NOT NULL, class_id TEXT NOT NULL, component TEXT NOT NULL, version TEXT, size {Int} NOT NULL, uploaded {Int} NOT NULL)",
            $"CREATE TABLE IF NOT EXISTS rollouts (id {Serial}, digest TEXT NOT NULL REFERENCES datasets(digest), class_id TEXT NOT NULL, state TEXT NOT NULL, created {Int} NOT NULL, error_threshold {Int} NOT NULL, success_threshold {Int} NOT NULL, waves TEXT NOT NULL, current_wave {Int} NOT NULL DEFAULT 0)",
            $"CREATE TABLE IF NOT EXISTS rollout_devices (rollout {Int} NOT NULL REFERENCES rollouts(id), device TEXT NOT NULL REFERENCES devices(id), wave {Int} NOT NULL, PRIMARY KEY (rollout, device))",
            $"CREATE TABLE IF NOT EXISTS reports (id {Serial}, device TEXT NOT NULL, state TEXT NOT NULL, sequence {Int} NOT NULL, failure {Int} NOT NULL, code {Int} NOT NULL, message TEXT, at {Int} NOT NULL)",
            "CREATE INDEX IF NOT EXISTS rollout_devices_by_device ON rollout_devices (device)",
            "CREATE INDEX IF NOT EXISTS reports_by_device ON reports (device, sequence, state)",
            $"CREATE TABLE IF NOT EXISTS audit (id {Serial}, action TEXT NOT NULL, detail TEXT NOT NULL, at {Int} NOT NULL)",
        ];
    }

    private static readonly string[] Tables = ["settings", "devices", "nonces", "tokens", "datasets", "rollouts", "rollout_devices", "reports", "audit"];

    /// <summary>
    /// Brings the database to <see cref="Latest"/>: a new one gets every version in turn, one of an earlier
    /// version the versions after it. Refused with a clear message: tables of our names that no release of
    /// ours stamped (issue 17, C2), a version this server does not know (newer, or never released).
    /// </summary>
    public static void Apply(IDatabase db)
    {
        var existing = (db.Dialect == SqlDialect.Postgres
                ? db.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
                : db.Query("SELECT name FROM sqlite_master WHERE type = 'table'"))
            .Select(r => (string)r[0]!).Where(t => Tables.Contains(t)).ToList();
        if (existing.Count > 0 && (!existing.Contains("settings") || StampedVersion(db) is null))
            throw new InvalidOperationException($"the database already has tables this server did not create ({string.Join(", ", existing)}) and no schema version of ours: give the server its own --data directory or database");
        foreach (var migration in Migrations)
            db.Transaction(() =>
            {
                // Read again inside the transaction: another replica may have migrated meanwhile (PostgreSQL
                // serialises on the settings row; SQLite's BEGIN IMMEDIATE on the whole file).
                int? at = existing.Count == 0 && migration.Version == Migrations[0].Version ? null : CurrentVersion(db);
                if (at >= migration.Version) return 0;
                foreach (var ddl in migration.Statements(db.Dialect)) db.Execute(ddl);
                db.Execute("INSERT INTO settings (name, value) VALUES ('schema_version', @v) ON CONFLICT (name) DO UPDATE SET value = @v", ("@v", migration.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                return 0;
            });
    }

    // The stamped version, locked for this transaction on PostgreSQL; refused when this server does not know it.
    private static int CurrentVersion(IDatabase db)
    {
        var rows = db.Query("SELECT value FROM settings WHERE name = 'schema_version'" + (db.Dialect == SqlDialect.Postgres ? " FOR UPDATE" : ""));
        var text = rows.Count == 1 ? (string)rows[0][0]! : "none";
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) || version < Migrations[0].Version)
            throw new InvalidOperationException($"the database has schema version {text}, which no release of this server made: start with a new --data directory (or database)");
        if (version > Latest)
            throw new InvalidOperationException($"the database has schema version {version}, made by a newer server (this one knows up to {Latest}): run that release or a newer one; a database is never migrated backwards");
        return version;
    }

    private static string? StampedVersion(IDatabase db)
    {
        var rows = db.Query("SELECT value FROM settings WHERE name = 'schema_version'");
        return rows.Count == 1 ? (string)rows[0][0]! : null;
    }
}

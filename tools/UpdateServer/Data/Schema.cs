using SecureOta.UpdateServer.Storage;

namespace SecureOta.UpdateServer.Data;

/// <summary>
/// The server's tables, in the dialect of its database (SQLite by default, PostgreSQL). Statements
/// elsewhere are written to run on both: named @parameters, ON CONFLICT, RETURNING.
/// </summary>
public static class Schema
{
    /// <summary>Bumped when a table changes; a data directory of another version is refused, never half-migrated.</summary>
    public const string Version = "2";

    public static string[] Statements(SqlDialect dialect)
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
    /// Creates the tables, or checks that an existing database has this schema version. A database that
    /// already holds a table of one of our names but no schema version of ours was made by something else:
    /// it is refused, never stamped (issue 17, C2).
    /// </summary>
    public static void Apply(IDatabase db)
    {
        var existing = (db.Dialect == SqlDialect.Postgres
                ? db.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
                : db.Query("SELECT name FROM sqlite_master WHERE type = 'table'"))
            .Select(r => (string)r[0]!).Where(t => Tables.Contains(t)).ToList();
        if (existing.Count > 0)
        {
            var stamped = existing.Contains("settings") && db.Query("SELECT value FROM settings WHERE name = 'schema_version'").Count == 1;
            if (!stamped)
                throw new InvalidOperationException($"the database already has tables this server did not create ({string.Join(", ", existing)}) and no schema version of ours: give the server its own --data directory or database");
        }
        foreach (var ddl in Statements(db.Dialect)) db.Execute(ddl);
        var rows = db.Query("SELECT value FROM settings WHERE name = 'schema_version'");
        if (rows.Count == 0)
            db.Execute("INSERT INTO settings (name, value) VALUES ('schema_version', @v) ON CONFLICT (name) DO NOTHING", ("@v", Version));
        else if ((string)rows[0][0]! != Version)
            throw new InvalidOperationException($"the database has schema version {rows[0][0]}, this server needs {Version}: start with a new --data directory (or database)");
    }
}

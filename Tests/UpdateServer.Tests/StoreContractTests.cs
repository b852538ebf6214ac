using SecureOta.UpdateServer.Data;
using SecureOta.UpdateServer.Storage;
using SecureOta.UpdateServer.Storage.Postgres;
using SecureOta.UpdateServer.Storage.Sqlite;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// The server's store behaves the same on SQLite and on a real PostgreSQL (started by the test run):
/// registration, single-use nonces, tokens, reports, data sets, rollouts in waves, halting, values bound.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoreContractTests(PostgresServer postgres) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("store-").FullName;
    private readonly ManualTime _time = new();

    public void Dispose() => Directory.Delete(_dir, true);

    private ServerStore Open(string dialect) => new(dialect == "sqlite"
        ? SqliteDatabase.Open(Path.Combine(_dir, "store.db"))
        : PostgresDatabase.Open(postgres.NewDatabase()), _time);

    private static readonly byte[] Cert = [0x30, 0x82, 0x00, 0x01, 0xFF, 0x00];

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void DevicesNoncesAndTokens(string dialect)
    {
        using var store = Open(dialect);
        Assert.Equal(dialect == "sqlite" ? SqlDialect.Sqlite : SqlDialect.Postgres, store.Dialect);
        Assert.True(store.RegisterDevice("d1", "aa", Cert));
        Assert.False(store.RegisterDevice("d1", "bb", Cert));
        var hostile = "x'); DROP TABLE devices; --";
        Assert.True(store.RegisterDevice(hostile, "aa", Cert));
        Assert.Equal(Cert, store.DeviceCertificate("d1"));
        Assert.Equal(["d1", hostile], store.Devices().Select(d => d.Id).Order(StringComparer.Ordinal));

        var nonce = store.NewNonce("d1", TimeSpan.FromSeconds(60))!;
        Assert.False(store.ConsumeNonce("other", store.NewNonce("d1", TimeSpan.FromSeconds(60))!));
        Assert.True(store.ConsumeNonce("d1", nonce));
        Assert.False(store.ConsumeNonce("d1", nonce));
        var late = store.NewNonce("d1", TimeSpan.FromSeconds(60))!;
        _time.Now += TimeSpan.FromSeconds(61);
        Assert.False(store.ConsumeNonce("d1", late));

        var token = store.NewToken("d1", TimeSpan.FromMinutes(30));
        Assert.Equal("d1", store.TokenDevice(token));
        Assert.Null(store.TokenDevice("nope"));
        Assert.Null(store.EnsureAdminToken("admin"));
        Assert.True(store.IsAdmin("admin"));
        Assert.False(store.IsAdmin("Admin"));

        store.RecordCheckIn("d1", 6, "1.6.0", "idle");
        store.RecordReport("d1", "failed", 7, 1, 8, "bad signature");
        var d1 = store.Devices().Single(d => d.Id == "d1");
        Assert.Equal((6L, "1.6.0", "failed", "1/8: bad signature"), (d1.Sequence, d1.Version, d1.State, d1.LastReason));
        Assert.Equal([("failed", 7L, 1, 8)], store.Reports("d1"));
        Assert.Equal("bad signature", Assert.Single(store.RecentFailures(10)).Message);
        store.RecordReport(hostile, "reverted", 7, 1, 8, "bad signature, again");
        Assert.Equal([new FailureReasonRow(1, 8, 2, 2, "bad signature, again")], store.FailureReasons());
        Assert.Equal(["failed"], store.History("d1", 10).Select(r => r.State));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void RolloutsInWaves_Advance_Complete_AndHalt(string dialect)
    {
        using var store = Open(dialect);
        foreach (var id in new[] { "a", "b", "c", "d" }) store.RegisterDevice(id, "cls", Cert);
        var ds = new DataSetRow(new string('1', 64), 7, "cls", "deploy", "1.7.0", 1000);
        store.AddDataSet(ds);
        store.AddDataSet(ds); // idempotent
        Assert.Equal(ds, store.DataSet(ds.Digest));

        var (id1, opened) = store.Rollouts.Create(ds, [50, 100], 100, 2);
        Assert.Empty(opened);
        var offered = new[] { "a", "b", "c", "d" }.Where(d => store.Rollouts.OfferFor(d, 6) is not null).ToList();
        Assert.Equal(2, offered.Count);
        foreach (var d in offered)
        {
            store.RecordReport(d, "confirmed", 7, 0, 0, null);
            store.Rollouts.OnReport(d, 7, "confirmed");
        }
        var row = Assert.Single(store.Rollouts.List());
        Assert.Equal((2, "running", 2, 4), (row.CurrentWave, row.State, row.Confirmed, row.Devices));
        var rest = new[] { "a", "b", "c", "d" }.Except(offered).ToList();
        Assert.All(rest, d => Assert.NotNull(store.Rollouts.OfferFor(d, 6)));
        Assert.Null(store.Rollouts.OfferFor(offered[0], 7));

        store.RecordReport(rest[0], "failed", 7, 1, 17, "digest");
        Assert.Empty(store.Rollouts.OnReport(rest[0], 7, "failed"));          // 1 < threshold 2
        store.RecordReport(rest[1], "reverted", 7, 6, 41, "not confirmed");
        Assert.Contains(store.Rollouts.OnReport(rest[1], 7, "reverted"), e => e.StartsWith("halt-rollout"));
        Assert.Equal("halted", store.Rollouts.List().Single().State);
        Assert.Null(store.Rollouts.OfferFor(rest[0], 6));
        Assert.True(store.Rollouts.SetState(id1, "running", "halted"));
        Assert.False(store.Rollouts.SetState(id1, "running", "halted"));

        foreach (var d in rest)
        {
            store.RecordReport(d, "confirmed", 7, 0, 0, null);
            store.Rollouts.OnReport(d, 7, "confirmed");
        }
        Assert.Equal("completed", store.Rollouts.List().Single().State);
        // Over time: two confirmed, then two failed, then those two confirmed after all (each board counted once per kind).
        var progress = store.Rollouts.Progress(id1)!;
        Assert.Equal(4, progress.Devices);
        Assert.Equal([(1, 0), (2, 0), (2, 1), (2, 2), (3, 2), (4, 2)], progress.Points.Select(p => (p.Confirmed, p.Failed)));
        Assert.Null(store.Rollouts.Progress(id1 + 100));
    }

    [Fact]
    public void ADatabaseOfAnotherSchemaVersion_IsRefusedWithAClearMessage()
    {
        using (var db = SqliteDatabase.Open(Path.Combine(_dir, "old.db")))
        {
            db.Execute("CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)");
            db.Execute("INSERT INTO settings VALUES ('schema_version', '1')");
        }
        using var again = SqliteDatabase.Open(Path.Combine(_dir, "old.db"));
        var e = Assert.Throws<InvalidOperationException>(() => new ServerStore(again, _time));
        Assert.Contains("schema version 1", e.Message);
    }

    private IDatabase Raw(string dialect, string? pgDatabase = null) => dialect == "sqlite"
        ? SqliteDatabase.Open(Path.Combine(_dir, "store.db"))
        : PostgresDatabase.Open(pgDatabase!);

    private static List<string> Indexes(IDatabase db) => (db.Dialect == SqlDialect.Postgres
            ? db.Query("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
            : db.Query("SELECT name FROM sqlite_master WHERE type = 'index'"))
        .Select(r => (string)r[0]!).ToList();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void ADatabaseMadeByTheVersion2Release_IsMigratedForward_AndKeepsItsData(string dialect)
    {
        var pg = dialect == "postgres" ? postgres.NewDatabase() : null;
        // What the release before migrations left: its tables (version 2's statements, unchanged since),
        // stamped "2", with a device, a nonce and a report in it.
        using (var old = Raw(dialect, pg))
        {
            foreach (var ddl in Schema.Migrations[0].Statements(old.Dialect)) old.Execute(ddl);
            old.Execute("INSERT INTO settings (name, value) VALUES ('schema_version', '2')");
            old.Execute("INSERT INTO devices (id, class_id, certificate) VALUES ('d1', 'aa', @c)", ("@c", Cert));
            old.Execute("INSERT INTO nonces (nonce, device, expires) VALUES ('n1', 'd1', @e)", ("@e", _time.GetUtcNow().ToUnixTimeSeconds() + 60));
            old.Execute("INSERT INTO reports (device, state, sequence, failure, code, message, at) VALUES ('d1', 'failed', 7, 1, 8, 'bad signature', 0)");
            Assert.DoesNotContain("nonces_by_expiry", Indexes(old));
        }

        using (var store = new ServerStore(Raw(dialect, pg), _time))
        {
            Assert.Equal("d1", Assert.Single(store.Devices()).Id);
            Assert.True(store.ConsumeNonce("d1", "n1"));
            Assert.Equal([("failed", 7L, 1, 8)], store.Reports("d1"));
        }
        using (var db = Raw(dialect, pg))
        {
            Assert.Equal(Schema.Latest.ToString(), (string)db.Query("SELECT value FROM settings WHERE name = 'schema_version'")[0][0]!);
            Assert.Contains("nonces_by_expiry", Indexes(db));
            Assert.Contains("devices_by_class", Indexes(db));
        }
        // Opening a current database again changes nothing.
        using (var again = new ServerStore(Raw(dialect, pg), _time))
            Assert.Single(again.Devices());
    }

    [Fact]
    public void ADatabaseOfANewerServer_IsRefused_NeverMigratedBackwards()
    {
        using (var db = SqliteDatabase.Open(Path.Combine(_dir, "newer.db")))
        {
            foreach (var ddl in Schema.Migrations[0].Statements(db.Dialect)) db.Execute(ddl);
            db.Execute("INSERT INTO settings (name, value) VALUES ('schema_version', @v)", ("@v", (Schema.Latest + 1).ToString()));
        }
        using var again = SqliteDatabase.Open(Path.Combine(_dir, "newer.db"));
        var e = Assert.Throws<InvalidOperationException>(() => new ServerStore(again, _time));
        Assert.Contains("made by a newer server", e.Message);
    }

    [Fact]
    public void AnUnreachablePostgres_IsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => PostgresDatabase.Open("Host=127.0.0.1;Port=1;Username=x;Database=y;Timeout=2"));
        Assert.Contains("cannot connect to PostgreSQL", e.Message);
    }
}

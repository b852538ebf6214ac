using SecureOta.UpdateServer.Storage.Sqlite;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>The SQLite store (Microsoft.Data.Sqlite): values, constraints, transactions, files, threads, misspelt parameters.</summary>
public sealed class SqliteDatabaseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sqlite-").FullName;
    private string File => Path.Combine(_dir, "server.db");

    public void Dispose() => Directory.Delete(_dir, true);

    private SqliteDatabase Create()
    {
        var db = SqliteDatabase.Open(File);
        db.Execute("CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, key BLOB, note TEXT)");
        return db;
    }

    [Fact]
    public void EveryStoredKindRoundTrips_AndSurvivesReopening()
    {
        var key = new byte[] { 0, 1, 2, 0xFF, 0 };
        using (var db = Create())
        {
            Assert.Equal(1, db.Execute("INSERT INTO devices VALUES ($id, $seq, $key, $note)", ("$id", "dév-1 ✓"), ("$seq", long.MaxValue), ("$key", key), ("$note", null)));
            Assert.Equal(1, db.Execute("INSERT INTO devices VALUES ($id, $seq, $key, $note)", ("$id", "d2"), ("$seq", -7), ("$key", Array.Empty<byte>()), ("$note", "")));
        }
        using var again = SqliteDatabase.Open(File);
        var rows = again.Query("SELECT id, seq, key, note FROM devices ORDER BY seq DESC");
        Assert.Equal(["dév-1 ✓", long.MaxValue, key, null], rows[0]);
        Assert.Equal(["d2", -7L, Array.Empty<byte>(), ""], rows[1]);
    }

    [Fact]
    public void ValuesAreBound_NeverSplicedIntoSql()
    {
        using var db = Create();
        var hostile = "x'); DROP TABLE devices; --";
        db.Execute("INSERT INTO devices (id, seq) VALUES ($id, 1)", ("$id", hostile));
        Assert.Equal(hostile, db.Query("SELECT id FROM devices")[0][0]);
    }

    [Fact]
    public void AConstraintViolation_IsATypedError_WithSqlitesMessage()
    {
        using var db = Create();
        db.Execute("INSERT INTO devices (id, seq) VALUES ('a', 1)");
        var e = Assert.Throws<SqliteException>(() => db.Execute("INSERT INTO devices (id, seq) VALUES ('a', 2)"));
        Assert.True(e.IsConstraint);
        Assert.Contains("UNIQUE", e.Message);
        Assert.False(Assert.Throws<SqliteException>(() => db.Query("SELECT nope FROM devices")).IsConstraint);
        Assert.Throws<ArgumentException>(() => db.Execute("INSERT INTO devices (id, seq) VALUES ($id, 1)", ("$other", "x")));
    }

    [Fact]
    public void ATransactionIsAllOrNothing()
    {
        using var db = Create();
        Assert.Throws<InvalidOperationException>(() => db.Transaction<int>(() =>
        {
            db.Execute("INSERT INTO devices (id, seq) VALUES ('t1', 1)");
            throw new InvalidOperationException("midway");
        }));
        Assert.Empty(db.Query("SELECT * FROM devices"));
        Assert.Equal(2, db.Transaction(() => db.Execute("INSERT INTO devices (id, seq) VALUES ('t1', 1)") + db.Execute("INSERT INTO devices (id, seq) VALUES ('t2', 2)")));
        Assert.Equal(2L, db.Query("SELECT count(*) FROM devices")[0][0]);
    }

    [Fact]
    public void ConcurrentWriters_LoseNothing()
    {
        using var db = Create();
        Parallel.For(0, 400, i => db.Execute("INSERT INTO devices (id, seq) VALUES ($id, $seq)", ("$id", "d" + i), ("$seq", i)));
        Assert.Equal(400L, db.Query("SELECT count(*) FROM devices")[0][0]);
        Assert.Equal(79800L, db.Query("SELECT sum(seq) FROM devices")[0][0]);
    }

    [Fact]
    public void AnUnopenableFile_SaysWhich()
    {
        var e = Assert.Throws<SqliteException>(() => SqliteDatabase.Open(Path.Combine(_dir, "missing-dir", "x.db")));
        Assert.Contains("missing-dir", e.Message);
    }
}

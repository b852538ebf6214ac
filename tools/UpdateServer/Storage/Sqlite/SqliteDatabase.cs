using System.Runtime.InteropServices;
using System.Text;

namespace SecureOta.UpdateServer.Storage.Sqlite;

/// <summary>
/// One SQLite database file: parameterised statements only (values are always bound, never spliced
/// into SQL), one writer at a time in this process (a lock), WAL journal so readers in other
/// processes are not blocked, a bounded busy wait, and transactions that roll back on any exception.
/// </summary>
public sealed class SqliteDatabase : IDatabase
{
    public const int BusyTimeoutMilliseconds = 5000;

    private readonly object _gate = new();
    private IntPtr _db;
    private int _transactionDepth;

    private SqliteDatabase(IntPtr db) => _db = db;

    public string Path { get; private init; } = "";

    public SqlDialect Dialect => SqlDialect.Sqlite;

    /// <summary>Opens (creating if needed) the database file.</summary>
    public static SqliteDatabase Open(string path)
    {
        int rc = SqliteNative.Open(path, out var db, SqliteNative.OpenReadWrite | SqliteNative.OpenCreate | SqliteNative.OpenFullMutex, IntPtr.Zero);
        if (rc != SqliteNative.Ok)
        {
            var message = db == IntPtr.Zero ? "out of memory" : Marshal.PtrToStringUTF8(SqliteNative.ErrorMessage(db)) ?? "";
            if (db != IntPtr.Zero) SqliteNative.Close(db);
            throw new SqliteException(rc, $"cannot open the database {path}: {message}");
        }
        SqliteNative.BusyTimeout(db, BusyTimeoutMilliseconds);
        var database = new SqliteDatabase(db) { Path = path };
        database.Query("PRAGMA journal_mode=WAL");
        database.Execute("PRAGMA foreign_keys=ON");
        return database;
    }

    /// <summary>Runs a statement; returns the number of rows it changed.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            var statement = Prepare(sql, parameters);
            try
            {
                int rc;
                while ((rc = SqliteNative.Step(statement)) == SqliteNative.Row) { }
                Check(rc, sql);
                return SqliteNative.Changes(_db);
            }
            finally
            {
                SqliteNative.Finalize(statement);
            }
        }
    }

    /// <summary>Runs a query; each row is an array of long, string, byte[] or null.</summary>
    public List<object?[]> Query(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (_gate)
        {
            var statement = Prepare(sql, parameters);
            try
            {
                var rows = new List<object?[]>();
                int rc;
                while ((rc = SqliteNative.Step(statement)) == SqliteNative.Row)
                {
                    var row = new object?[SqliteNative.ColumnCount(statement)];
                    for (int c = 0; c < row.Length; c++) row[c] = Column(statement, c);
                    rows.Add(row);
                }
                Check(rc, sql);
                return rows;
            }
            finally
            {
                SqliteNative.Finalize(statement);
            }
        }
    }

    /// <summary>Runs work in one transaction (BEGIN IMMEDIATE): all of it or, on any exception, none.</summary>
    public T Transaction<T>(Func<T> work)
    {
        lock (_gate)
        {
            if (_transactionDepth > 0) return work(); // nested: part of the outer transaction
            Execute("BEGIN IMMEDIATE");
            _transactionDepth++;
            try
            {
                var result = work();
                _transactionDepth--;
                Execute("COMMIT");
                return result;
            }
            catch
            {
                _transactionDepth = 0;
                Execute("ROLLBACK");
                throw;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_db == IntPtr.Zero) return;
            SqliteNative.Close(_db);
            _db = IntPtr.Zero;
        }
    }

    private IntPtr Prepare(string sql, (string Name, object? Value)[] parameters)
    {
        ObjectDisposedException.ThrowIf(_db == IntPtr.Zero, this);
        Check(SqliteNative.Prepare(_db, sql, -1, out var statement, IntPtr.Zero), sql);
        try
        {
            foreach (var (name, value) in parameters)
            {
                int index = SqliteNative.ParameterIndex(statement, name);
                if (index == 0) throw new ArgumentException($"the statement has no parameter {name}: {sql}");
                int rc = value switch
                {
                    null => SqliteNative.BindNull(statement, index),
                    long l => SqliteNative.BindInt64(statement, index, l),
                    int i => SqliteNative.BindInt64(statement, index, i),
                    bool b => SqliteNative.BindInt64(statement, index, b ? 1 : 0),
                    string s => BindText(statement, index, s),
                    byte[] bytes => SqliteNative.BindBlob(statement, index, bytes, bytes.Length, SqliteNative.Transient),
                    _ => throw new ArgumentException($"cannot store a {value.GetType().Name} in SQLite ({name})"),
                };
                Check(rc, sql);
            }
            return statement;
        }
        catch
        {
            SqliteNative.Finalize(statement);
            throw;
        }
    }

    private static int BindText(IntPtr statement, int index, string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        return SqliteNative.BindText(statement, index, utf8, utf8.Length, SqliteNative.Transient);
    }

    private static object? Column(IntPtr statement, int column)
    {
        switch (SqliteNative.ColumnType(statement, column))
        {
            case SqliteNative.TypeInteger:
                return SqliteNative.ColumnInt64(statement, column);
            case SqliteNative.TypeText:
                var text = SqliteNative.ColumnText(statement, column);
                return Marshal.PtrToStringUTF8(text, SqliteNative.ColumnBytes(statement, column));
            case SqliteNative.TypeBlob:
                var blob = SqliteNative.ColumnBlob(statement, column);
                var bytes = new byte[SqliteNative.ColumnBytes(statement, column)];
                if (bytes.Length > 0) Marshal.Copy(blob, bytes, 0, bytes.Length);
                return bytes;
            case SqliteNative.TypeNull:
                return null;
            default:
                throw new SqliteException(20, $"column {column} holds a floating-point value; the server stores none");
        }
    }

    private void Check(int rc, string sql)
    {
        if (rc is SqliteNative.Ok or SqliteNative.Done or SqliteNative.Row) return;
        var message = Marshal.PtrToStringUTF8(SqliteNative.ErrorMessage(_db)) ?? "";
        throw new SqliteException(rc, $"{message} (in: {sql})");
    }
}

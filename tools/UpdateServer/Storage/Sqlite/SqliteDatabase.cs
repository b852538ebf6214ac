using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace SecureOta.UpdateServer.Storage.Sqlite;

/// <summary>
/// One SQLite database file through Microsoft.Data.Sqlite (the maintained provider; SQLitePCLRaw's bundled
/// e_sqlite3): parameterised statements only (values are always bound, never spliced into SQL), one
/// connection used by one caller at a time (a lock: a SqliteConnection is not thread-safe), WAL journal so
/// readers in other processes are not blocked, a bounded busy wait, and transactions (BEGIN IMMEDIATE)
/// that roll back on any exception. Errors are this layer's SqliteException.
/// </summary>
public sealed class SqliteDatabase : IDatabase
{
    public const int BusyTimeoutMilliseconds = 5000;

    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;

    private SqliteDatabase(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    public string Path { get; }

    public SqlDialect Dialect => SqlDialect.Sqlite;

    /// <summary>Opens (creating if needed) the database file.</summary>
    public static SqliteDatabase Open(string path)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            connection.Dispose();
            throw new SqliteException(e.SqliteErrorCode, $"cannot open the database {path}: {e.Message}");
        }
        var database = new SqliteDatabase(connection, path);
        database.Query("PRAGMA journal_mode=WAL");
        database.Query($"PRAGMA busy_timeout={BusyTimeoutMilliseconds}");
        database.Execute("PRAGMA foreign_keys=ON");
        return database;
    }

    /// <summary>Runs a statement; returns the number of rows it changed.</summary>
    public int Execute(string sql, params (string Name, object? Value)[] parameters) =>
        Run(sql, parameters, command => command.ExecuteNonQuery());

    /// <summary>Runs a query; each row is an array of long, string, byte[], double or null.</summary>
    public List<object?[]> Query(string sql, params (string Name, object? Value)[] parameters) =>
        Run(sql, parameters, command =>
        {
            using var reader = command.ExecuteReader();
            return DataRows.Read(reader);
        });

    /// <summary>Runs work in one transaction (BEGIN IMMEDIATE): all of it or, on any exception, none.</summary>
    public T Transaction<T>(Func<T> work)
    {
        lock (_gate)
        {
            if (_transaction is not null) return work(); // nested: part of the outer transaction
            _transaction = Wrap(() => _connection.BeginTransaction(deferred: false), "BEGIN IMMEDIATE");
            try
            {
                var result = work();
                Wrap(() => { _transaction.Commit(); return 0; }, "COMMIT");
                return result;
            }
            catch
            {
                _transaction.Rollback();
                throw;
            }
            finally
            {
                _transaction.Dispose();
                _transaction = null;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate) _connection.Dispose();
    }

    private TResult Run<TResult>(string sql, (string Name, object? Value)[] parameters, Func<SqliteCommand, TResult> body)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = _transaction;
            foreach (var (name, value) in parameters)
            {
                // Microsoft.Data.Sqlite ignores a value for a parameter the statement does not have: a
                // misspelt name would bind nothing, so it is refused.
                if (!Regex.IsMatch(sql, Regex.Escape(name) + "(?![A-Za-z0-9_])"))
                    throw new ArgumentException($"the statement has no parameter {name}: {sql}");
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
            return Wrap(() => body(command), sql);
        }
    }

    private static T Wrap<T>(Func<T> call, string sql)
    {
        try
        {
            return call();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            throw new SqliteException(e.SqliteErrorCode, $"{e.Message} ({sql})");
        }
    }
}

using Npgsql;

namespace SecureOta.UpdateServer.Storage.Postgres;

/// <summary>
/// PostgreSQL through Npgsql: a pooled data source; statements outside a transaction take a pooled
/// connection each, a transaction keeps one connection for its statements (on this thread). Integer
/// results come back as long, like SQLite's, so the store reads both the same way.
/// </summary>
public sealed class PostgresDatabase : IDatabase
{
    private readonly NpgsqlDataSource _source;

    [ThreadStatic]
    private static (NpgsqlConnection Connection, NpgsqlTransaction Transaction, PostgresDatabase Owner)? _current;

    private PostgresDatabase(NpgsqlDataSource source) => _source = source;

    public SqlDialect Dialect => SqlDialect.Postgres;

    /// <summary>Connects (and checks the connection) with an Npgsql connection string, e.g. "Host=127.0.0.1;Port=5432;Username=ota;Database=ota".</summary>
    public static PostgresDatabase Open(string connectionString)
    {
        var source = NpgsqlDataSource.Create(connectionString);
        try
        {
            using var probe = source.OpenConnection();
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException or InvalidOperationException)
        {
            source.Dispose();
            throw new InvalidOperationException($"cannot connect to PostgreSQL ({e.Message}); check --db (an Npgsql connection string)", e);
        }
        return new PostgresDatabase(source);
    }

    public int Execute(string sql, params (string Name, object? Value)[] parameters) =>
        Run(sql, parameters, command => command.ExecuteNonQuery());

    public List<object?[]> Query(string sql, params (string Name, object? Value)[] parameters) =>
        Run(sql, parameters, command =>
        {
            using var reader = command.ExecuteReader();
            return DataRows.Read(reader);
        });

    public T Transaction<T>(Func<T> work)
    {
        if (_current is { } outer && outer.Owner == this) return work();
        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        _current = (connection, transaction, this);
        try
        {
            var result = work();
            transaction.Commit();
            return result;
        }
        finally
        {
            _current = null;
        }
    }

    private TResult Run<TResult>(string sql, (string Name, object? Value)[] parameters, Func<NpgsqlCommand, TResult> body)
    {
        if (_current is { } tx && tx.Owner == this)
        {
            using var command = new NpgsqlCommand(sql, tx.Connection, tx.Transaction);
            Bind(command, parameters);
            return body(command);
        }
        using var connection = _source.OpenConnection();
        using var standalone = new NpgsqlCommand(sql, connection);
        Bind(standalone, parameters);
        return body(standalone);
    }

    private static void Bind(NpgsqlCommand command, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name.TrimStart('@'), value ?? DBNull.Value);
    }

    public void Dispose() => _source.Dispose();
}

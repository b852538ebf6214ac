namespace SecureOta.UpdateServer.Storage;

/// <summary>Which SQL dialect a database speaks (the schema differs; statements are written to run on both).</summary>
public enum SqlDialect
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The server's database: parameterised statements only (named @parameters, values always bound),
/// rows as arrays of long, string, byte[] or null, and all-or-nothing transactions. SQLite by default,
/// PostgreSQL when the fleet outgrows it.
/// </summary>
public interface IDatabase : IDisposable
{
    SqlDialect Dialect { get; }

    /// <summary>Runs a statement; returns the number of rows it changed.</summary>
    int Execute(string sql, params (string Name, object? Value)[] parameters);

    /// <summary>Runs a query; each row is an array of long, string, byte[] or null.</summary>
    List<object?[]> Query(string sql, params (string Name, object? Value)[] parameters);

    /// <summary>Runs work in one transaction: all of it or, on any exception, none. Nested calls join the outer one.</summary>
    T Transaction<T>(Func<T> work);
}

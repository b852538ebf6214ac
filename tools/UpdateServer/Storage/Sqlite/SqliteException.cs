namespace SecureOta.UpdateServer.Storage.Sqlite;

/// <summary>A SQLite call failed: the result code (https://sqlite.org/rescode.html) and SQLite's message.</summary>
public sealed class SqliteException(int code, string message) : Exception(message)
{
    /// <summary>SQLITE_CONSTRAINT (https://sqlite.org/rescode.html#constraint).</summary>
    public const int Constraint = 19;

    public int Code { get; } = code;

    /// <summary>A UNIQUE, NOT NULL, CHECK or FOREIGN KEY constraint refused the change.</summary>
    public bool IsConstraint => (Code & 0xFF) == Constraint;
}

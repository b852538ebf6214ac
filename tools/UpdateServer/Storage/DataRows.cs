using System.Data.Common;

namespace SecureOta.UpdateServer.Storage;

/// <summary>
/// A query's rows as IDatabase returns them, for both providers: null for SQL NULL, integers of any width
/// (and booleans) as long, strings, byte arrays and doubles as they are.
/// </summary>
public static class DataRows
{
    public static List<object?[]> Read(DbDataReader reader)
    {
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int c = 0; c < row.Length; c++)
            {
                var value = reader.IsDBNull(c) ? null : reader.GetValue(c);
                row[c] = value switch { int i => (long)i, short s => (long)s, bool b => b ? 1L : 0L, _ => value };
            }
            rows.Add(row);
        }
        return rows;
    }
}

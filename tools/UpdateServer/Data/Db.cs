namespace SecureOta.UpdateServer.Data;

/// <summary>Reading integer columns the same way from both databases.</summary>
internal static class Db
{
    public static long Long(object? value) => value switch
    {
        long l => l,
        int i => i,
        decimal d => (long)d,
        null => 0,
        _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
    };
}

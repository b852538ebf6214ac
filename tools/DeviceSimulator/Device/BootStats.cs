namespace SecureOta.DeviceSimulator.Device;

/// <summary>
/// What one boot of the C boot stage did, counted by its host port (Bootloader/port/host/bootsim_boot.h,
/// bootsim_stats): sector erases, 256-byte pages programmed, bytes read, bytes hashed, signatures checked.
/// device-sim charges the boot's modeled time from these, so the model follows what the boot stage really
/// does (a record it writes, a revert, a swap) instead of an estimate per kind of decision.
/// </summary>
public sealed record BootStats(long Erases, long Pages, long BytesRead, long BytesHashed, long Signatures)
{
    /// <summary>The number of values in libbootsim's stats array (BOOTSIM_STAT_COUNT).</summary>
    public const int Count = 5;

    public static BootStats FromArray(long[] s) => new(s[0], s[1], s[2], s[3], s[4]);

    /// <summary>
    /// bootsim's second line with --stats ("flash: erases=1 pages=1 read=266240 hashed=262144 signatures=1"),
    /// or null if the text is not that line.
    /// </summary>
    public static BootStats? Parse(string line)
    {
        const string prefix = "flash: ";
        if (!line.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var values = new Dictionary<string, long>();
        foreach (var part in line[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=');
            if (kv.Length != 2 || !long.TryParse(kv[1], out var v) || v < 0) return null;
            values[kv[0]] = v;
        }
        string[] names = ["erases", "pages", "read", "hashed", "signatures"];
        if (!names.All(values.ContainsKey)) return null;
        return new BootStats(values["erases"], values["pages"], values["read"], values["hashed"], values["signatures"]);
    }
}

namespace SecureOta.DeviceSimulator.Device;

/// <summary>
/// A board's partition table as far as the update touches it (Bootloader/partitions/*.csv): sizes and
/// flash addresses (what block alignment is measured from) of staging and the component partitions,
/// and whether each component has a second slot (docs/boot-protocol.md, "A/B slots").
/// </summary>
public sealed record BoardLayout(string Name, string Table, int StagingSize, int DeploySize, int NanoclrSize, bool Ab,
    int StagingAddress, int DeployAddress, int DeployBAddress, int NanoclrAddress, int NanoclrBAddress)
{
    /// <summary>partitions_4mb.csv: one partition per component, the swap through staging.</summary>
    public static readonly BoardLayout Swap4Mb = new("swap", "partitions_4mb.csv", 0x190000, 0xC0000, 0x180000, false, 0x260000, 0x1A0000, 0, 0x20000, 0);

    /// <summary>partitions_4mb_ab.csv: two slots per component, 384 KiB application slots.</summary>
    public static readonly BoardLayout Ab4Mb = new("ab", "partitions_4mb_ab.csv", 0xC000, 0x60000, 0x180000, true, 0x14000, 0x320000, 0x380000, 0x20000, 0x1A0000);

    /// <summary>partitions_8mb_ab.csv: two slots per component, 1.75 MiB application slots.</summary>
    public static readonly BoardLayout Ab8Mb = new("ab8", "partitions_8mb_ab.csv", 0xC000, 0x1C0000, 0x1D0000, true, 0x14000, 0x3C0000, 0x580000, 0x20000, 0x1F0000);

    public static readonly BoardLayout[] All = [Swap4Mb, Ab4Mb, Ab8Mb];

    /// <summary>The layout of a --layout name; an ArgumentException naming the choices otherwise.</summary>
    public static BoardLayout Named(string name) =>
        All.FirstOrDefault(l => l.Name == name) ?? throw new ArgumentException($"--layout {name}: one of {string.Join(", ", All.Select(l => l.Name))}");
}

using System.Globalization;

namespace SecureOta.DeviceSimulator.Device;

/// <summary>
/// FLASH.cfg beside a board's flash file, as bootsim reads and writes it (Bootloader/port/host/bootsim.c,
/// load_config): the vendor key file, vendor and class ids, and the boot stage's anti-rollback counter.
/// </summary>
public sealed class BootConfig
{
    public required string VendorPublicKeyFile { get; init; }
    public required byte[] VendorId { get; init; }
    public required byte[] ClassId { get; init; }
    public ulong Counter { get; set; }

    public static BootConfig Load(string path)
    {
        var fields = File.ReadAllLines(path).Select(l => l.Split(' ', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim());
        try
        {
            return new BootConfig
            {
                VendorPublicKeyFile = fields["pub"],
                VendorId = Convert.FromHexString(fields["vendor"]),
                ClassId = Convert.FromHexString(fields["class"]),
                Counter = ulong.Parse(fields["counter"], CultureInfo.InvariantCulture),
            };
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or OverflowException)
        {
            throw new InvalidDataException($"{path}: not a bootsim configuration (pub, vendor, class, counter): {e.Message}");
        }
    }

    public void Save(string path)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, $"pub {VendorPublicKeyFile}\nvendor {Convert.ToHexString(VendorId).ToLowerInvariant()}\nclass {Convert.ToHexString(ClassId).ToLowerInvariant()}\ncounter {Counter}\n");
        File.Move(tmp, path, overwrite: true);
    }
}

using SecureOta.DeviceTests.Fakes;
using SecureOta.Drivers.Flash;

namespace SecureOta.DeviceSimulator.Device;

/// <summary>
/// The four partitions the update touches on a 4 MB board (Bootloader/partitions/partitions_4mb.csv),
/// each a strict flash model, in the order bootsim keeps them in one flash file: boot state, staging,
/// deploy, nanoclr. Saving and loading that file is how the agent and the C boot stage share flash.
/// </summary>
public sealed class BoardFlash
{
    public const int Sector = 4096;
    public const int WriteAlignment = 4;
    public const int BootStateSize = 0x4000, StagingSize = 0x190000, DeploySize = 0xC0000, NanoclrSize = 0x180000;

    /// <summary>Where the partitions start in the board's flash (partitions_4mb.csv): what block alignment is measured from.</summary>
    public const int BootStateAddress = 0x10000, StagingAddress = 0x260000;

    public StrictRamFlash BootState { get; }
    public StrictRamFlash Staging { get; }
    public StrictRamFlash Deploy { get; }
    public StrictRamFlash Nanoclr { get; }

    public BoardFlash(int stagingSize = StagingSize)
    {
        BootState = new StrictRamFlash(BootStateSize, Sector, WriteAlignment);
        Staging = new StrictRamFlash(stagingSize, Sector, WriteAlignment);
        Deploy = new StrictRamFlash(DeploySize, Sector, WriteAlignment);
        Nanoclr = new StrictRamFlash(NanoclrSize, Sector, WriteAlignment);
    }

    public StrictRamFlash[] Areas => [BootState, Staging, Deploy, Nanoclr];

    /// <summary>Total bytes of the flash file.</summary>
    public int FileSize => Areas.Sum(a => a.Size);

    /// <summary>Restores power to every area (after a simulated power cut).</summary>
    public void PowerOn()
    {
        foreach (var area in Areas) area.PowerOn();
    }

    public void Save(string path)
    {
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, ToImage());
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>The flash file's bytes: every area's content back to back.</summary>
    public byte[] ToImage()
    {
        var image = new byte[FileSize];
        int offset = 0;
        foreach (var area in Areas)
        {
            Check(area.Read(0, image, offset, area.Size), "read");
            offset += area.Size;
        }
        return image;
    }

    /// <summary>Loads a flash file (as bootsim left it) into the strict models.</summary>
    public void Load(string path) => FromImage(File.ReadAllBytes(path), path);

    /// <summary>Takes a flash image (as the boot stage left it; `source` names it in errors): erase, then program what is not erased.</summary>
    public void FromImage(byte[] all, string source)
    {
        if (all.Length != FileSize) throw new InvalidDataException($"{source}: {all.Length} bytes, expected {FileSize} (a 4 MB-layout flash file from 'bootsim init')");
        int offset = 0;
        foreach (var area in Areas)
        {
            Check(area.Erase(0, area.Size), "erase");
            for (int i = 0; i < area.Size; i += Sector)
            {
                var sector = all.AsSpan(offset + i, Sector);
                if (sector.IndexOfAnyExcept((byte)0xFF) >= 0) Check(area.Write(i, sector.ToArray(), 0, Sector), "write");
            }
            offset += area.Size;
        }
    }

    private static void Check(FlashStatus status, string what)
    {
        if (status != FlashStatus.Ok) throw new InvalidOperationException($"flash {what} failed while copying the flash file: {status}");
    }
}

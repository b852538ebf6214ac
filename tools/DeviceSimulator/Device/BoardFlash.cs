using SecureOta.DeviceTests.Fakes;
using SecureOta.Drivers.Flash;

namespace SecureOta.DeviceSimulator.Device;

/// <summary>
/// The partitions the update touches on a board (BoardLayout), each a strict flash model, in the order the
/// C boot stage's host port keeps them in one flash image (its area order): boot state, staging, deploy,
/// nanoclr, and on an A/B board deploy_b and nanoclr_b. The swap board is partitions_4mb.csv (bootsim's
/// flash file); the A/B boards are partitions_{4,8}mb_ab.csv (docs/boot-protocol.md, "A/B slots"; booted
/// in process only). Saving and loading that image is how the agent and the C boot stage share flash.
/// </summary>
public sealed class BoardFlash
{
    public const int Sector = 4096;
    public const int WriteAlignment = 4;
    public const int BootStateSize = 0x4000, StagingSize = 0x190000, DeploySize = 0xC0000, NanoclrSize = 0x180000; /* the swap layout's */

    /// <summary>Where the partitions start in the board's flash (partitions_4mb.csv): what block alignment is measured from.</summary>
    public const int BootStateAddress = 0x10000, StagingAddress = 0x260000;

    public StrictRamFlash BootState { get; }
    public StrictRamFlash Staging { get; }
    public StrictRamFlash Deploy { get; }
    public StrictRamFlash Nanoclr { get; }

    /// <summary>An A/B board's second slots (null on a swap board).</summary>
    public StrictRamFlash? DeployB { get; }
    public StrictRamFlash? NanoclrB { get; }

    /// <summary>The partition table this flash follows.</summary>
    public BoardLayout Layout { get; }

    public bool IsAb => DeployB is not null;

    /// <summary>A swap board (partitions_4mb.csv), optionally with a smaller staging partition (tests).</summary>
    public BoardFlash(int stagingSize = StagingSize) : this(BoardLayout.Swap4Mb with { StagingSize = stagingSize })
    {
    }

    /// <summary>A board of this layout, everything erased.</summary>
    public BoardFlash(BoardLayout layout)
    {
        Layout = layout;
        BootState = new StrictRamFlash(BootStateSize, Sector, WriteAlignment);
        Staging = new StrictRamFlash(layout.StagingSize, Sector, WriteAlignment);
        Deploy = new StrictRamFlash(layout.DeploySize, Sector, WriteAlignment);
        Nanoclr = new StrictRamFlash(layout.NanoclrSize, Sector, WriteAlignment);
        if (layout.Ab)
        {
            DeployB = new StrictRamFlash(layout.DeploySize, Sector, WriteAlignment);
            NanoclrB = new StrictRamFlash(layout.NanoclrSize, Sector, WriteAlignment);
        }
    }

    /// <summary>The board of a flash file or image of this many bytes (each layout's differs), else null.</summary>
    public static BoardFlash? ForImageSize(long bytes) =>
        BoardLayout.All.Select(l => new BoardFlash(l)).FirstOrDefault(f => f.FileSize == bytes);

    public StrictRamFlash[] Areas => DeployB is null ? [BootState, Staging, Deploy, Nanoclr] : [BootState, Staging, Deploy, Nanoclr, DeployB, NanoclrB!];

    /// <summary>The areas' sizes in the boot stage's area order (BS_AREA_*, 4 being no area), as libbootsim's bootsim_boot_areas takes them.</summary>
    public uint[] AreaSizes => [(uint)BootState.Size, (uint)Staging.Size, (uint)Deploy.Size, (uint)Nanoclr.Size, 0, (uint)(DeployB?.Size ?? 0), (uint)(NanoclrB?.Size ?? 0)];

    /// <summary>The deploy slot a boot decision's slot bits boot (bit 0; always Deploy on a swap board).</summary>
    public StrictRamFlash DeploySlot(byte slots) => (slots & 1) != 0 && DeployB is not null ? DeployB : Deploy;

    /// <summary>The nanoclr slot a boot decision's slot bits boot (bit 1).</summary>
    public StrictRamFlash NanoclrSlot(byte slots) => (slots & 2) != 0 && NanoclrB is not null ? NanoclrB : Nanoclr;

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

    /// <summary>Loads a board's flash file, whichever of the two layouts it has.</summary>
    public static BoardFlash LoadAny(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var flash = ForImageSize(bytes.Length)
            ?? throw new InvalidDataException($"{path}: {bytes.Length} bytes is the flash file of no known layout ({string.Join(", ", BoardLayout.All.Select(l => l.Name))}; 'bootsim init' writes the swap layout's, 'device-sim provision --layout' the others)");
        flash.FromImage(bytes, path);
        return flash;
    }

    /// <summary>Takes a flash image (as the boot stage left it; `source` names it in errors): erase, then program what is not erased.</summary>
    public void FromImage(byte[] all, string source)
    {
        if (all.Length != FileSize) throw new InvalidDataException($"{source}: {all.Length} bytes, expected {FileSize} (a 4 MB-layout flash file from 'bootsim init'{(IsAb ? ", A/B layout" : "")})");
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

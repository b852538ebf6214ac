using SecureOta.ChipEmulator;
using SecureOta.DeviceSimulator.Device;

namespace SecureOta.DeviceSimulator.Fleet;

/// <summary>
/// Where a simulated board's state lives between its runs: what survives a reboot on a real board, its
/// chip and its flash, and the boot stage's configuration (vendor key, ids, counter).
/// </summary>
public interface IBoardStore
{
    DeviceIdentity Identity { get; }

    ChipState LoadChip();

    void SaveChip(ChipState chip);

    /// <summary>A flash model holding the board's flash as it was last saved.</summary>
    BoardFlash LoadFlash();

    void SaveFlash(BoardFlash flash);

    /// <summary>The boot stage for this board's flash: in process (libbootsim) or, where allowed, bootsim processes.</summary>
    BootStage BootStage(BoardFlash flash, string bootsim, bool inProcess);
}

/// <summary>A board provisioned into a folder (device-sim provision): device.json, chip.json, device.flash and its .cfg.</summary>
public sealed class DirectoryBoardStore(string dir) : IBoardStore
{
    public DeviceIdentity Identity { get; } = DeviceIdentity.Load(dir);

    private string FlashPath => Path.Combine(dir, SimDevice.FlashFile);

    public ChipState LoadChip() => ChipState.Load(Path.Combine(dir, SimDevice.ChipFile));

    public void SaveChip(ChipState chip) => chip.Save(Path.Combine(dir, SimDevice.ChipFile));

    public BoardFlash LoadFlash() => BoardFlash.LoadAny(FlashPath);

    public void SaveFlash(BoardFlash flash) => flash.Save(FlashPath);

    public BootStage BootStage(BoardFlash flash, string bootsim, bool inProcess) => new(flash, FlashPath, bootsim, inProcess);
}

/// <summary>
/// A board that lives only in this process (a big fleet: no folder, no file per board). Its factory
/// flash is made when it first runs (the factory image in deploy, everything else erased, as
/// `bootsim init` leaves it); after its run the flash is let go unless Keep says otherwise, so memory
/// holds only the boards that are running. The boot stage runs in process.
/// </summary>
public sealed class MemoryBoardStore(DeviceIdentity identity, ChipState chip, byte[] factoryImage, BootConfig boot, bool keep = false, BoardLayout? layout = null) : IBoardStore
{
    private BoardFlash? _flash;
    private bool _released;

    public DeviceIdentity Identity { get; } = identity;

    public ChipState LoadChip() => chip;

    public void SaveChip(ChipState state) => chip = state;

    public BoardFlash LoadFlash()
    {
        if (_released) throw new InvalidOperationException($"{Identity.Id}: this in-memory board's flash was let go after its run");
        if (_flash is not null) return _flash;
        var flash = new BoardFlash(layout ?? BoardLayout.Swap4Mb);
        WriteFactoryImage(flash, factoryImage, Identity.Id);
        return flash;
    }

    /// <summary>The factory image into deploy (slot 0 on an A/B board), padded with erased bytes to the write alignment: the same cells bootsim init's copy leaves.</summary>
    public static void WriteFactoryImage(BoardFlash flash, byte[] factoryImage, string id)
    {
        var padded = new byte[(factoryImage.Length + BoardFlash.WriteAlignment - 1) / BoardFlash.WriteAlignment * BoardFlash.WriteAlignment];
        Array.Fill(padded, (byte)0xFF);
        factoryImage.CopyTo(padded, 0);
        if (flash.Deploy.Write(0, padded, 0, padded.Length) != SecureOta.Drivers.Flash.FlashStatus.Ok)
            throw new InvalidOperationException($"{id}: the factory image does not fit the deploy partition");
    }

    public void SaveFlash(BoardFlash flash)
    {
        if (keep) _flash = flash;
        else _released = true;
    }

    public BootStage BootStage(BoardFlash flash, string bootsim, bool inProcess)
    {
        var library = InProcessBootStage.Locate(bootsim)
            ?? throw new InvalidOperationException("an in-memory board boots in process: libbootsim.so must be beside " + bootsim + " ('make build')");
        return new BootStage(flash, boot, library);
    }
}

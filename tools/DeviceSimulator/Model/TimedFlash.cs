using SecureOta.DeviceTests.Fakes;
using SecureOta.Drivers.Flash;

namespace SecureOta.DeviceSimulator.Model;

/// <summary>
/// A flash area as the agent sees it on the modeled board: every operation charges its datasheet
/// time, and a planned power cut tears the chosen write or erase (the strict model keeps the torn
/// cells) and stops the agent there. Each operation is also one native call of the agent
/// (Agent/App/Esp32/PartitionFlashArea.cs: SecureOta.Native.Partition), charged its CPU cost.
/// </summary>
public sealed class TimedFlash(StrictRamFlash inner, string name, DeviceTime time, Esp32Model model, PowerRail rail, long partitionAddress = 0) : IFlashArea
{
    // partitionAddress: where the partition starts in flash (Bootloader/partitions/partitions_4mb.csv;
    // staging at 0x260000, block-aligned like every partition there), for the block alignment of erases.
    public int Size => inner.Size;
    public int EraseBlockSize => inner.EraseBlockSize;
    public int WriteAlignment => inner.WriteAlignment;
    public byte ErasedValue => inner.ErasedValue;

    public FlashStatus Read(int offset, byte[] buffer, int bufferOffset, int count)
    {
        time.Flash(model.NativeCallMicroseconds + model.FlashRead(count));
        return inner.Read(offset, buffer, bufferOffset, count);
    }

    public FlashStatus Write(int offset, byte[] buffer, int bufferOffset, int count)
    {
        if (rail.CutsThisOperation()) inner.CutPowerAfter(0);
        time.Flash(model.NativeCallMicroseconds + model.FlashProgram(count));
        time.Written(count);
        var status = inner.Write(offset, buffer, bufferOffset, count);
        if (status == FlashStatus.PowerLost) throw new PowerLossException($"a {count}-byte write at {name}+0x{offset:x}");
        return status;
    }

    public FlashStatus Erase(int offset, int length)
    {
        if (rail.CutsThisOperation()) inner.CutPowerAfter(0);
        time.Flash(model.NativeCallMicroseconds + model.Erase(partitionAddress + offset, length, Math.Max(1, inner.EraseBlockSize)));
        time.Erased(model.EraseOperations(partitionAddress + offset, length, Math.Max(1, inner.EraseBlockSize)), length);
        var status = inner.Erase(offset, length);
        if (status == FlashStatus.PowerLost) throw new PowerLossException($"an erase of {length} bytes at {name}+0x{offset:x}");
        return status;
    }
}

/// <summary>The board's power: counts the agent's flash writes and erases and cuts at a planned one.</summary>
public sealed class PowerRail
{
    private long _cutAt = -1;

    /// <summary>Writes and erases since the rail was made.</summary>
    public long Operations { get; private set; }

    /// <summary>Plans a cut at the given number of operations from now (0 = the next one).</summary>
    public void CutAfter(long operations) => _cutAt = Operations + operations;

    public bool CutsThisOperation()
    {
        bool cut = Operations == _cutAt;
        if (cut) _cutAt = -1;
        Operations++;
        return cut;
    }
}

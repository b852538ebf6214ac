using System;
using SecureOta.Drivers.Flash;

namespace SecureOta.Agent.Tests;

/// <summary>
/// A flash area for the memory benchmarks and allocation checks: its cells are one array allocated before anything is
/// measured, so a benchmark sees the agent's heap, not the flash model's storage (StrictRamFlash allocates
/// a block's cells when it is first programmed, which grows with the image). Still refuses what NOR flash
/// refuses (misaligned erases and writes, programming bytes that are not erased): the benchmark's run must
/// be a valid one. Power cuts are not modeled here; the tests use StrictRamFlash.
/// </summary>
public sealed class PreallocatedFlash(int size, int sector, int alignment) : IFlashArea
{
    private readonly byte[] _cells = Filled(size);

    public int Size => size;
    public int EraseBlockSize => sector;
    public int WriteAlignment => alignment;
    public byte ErasedValue => 0xFF;

    private static byte[] Filled(int size)
    {
        var cells = new byte[size];
        Array.Fill(cells, (byte)0xFF);
        return cells;
    }

    private bool Inside(int offset, int count) => offset >= 0 && count >= 0 && offset <= size - count;

    public FlashStatus Read(int offset, byte[] buffer, int bufferOffset, int count)
    {
        if (!Inside(offset, count)) return FlashStatus.OutOfRange;
        Array.Copy(_cells, offset, buffer, bufferOffset, count);
        return FlashStatus.Ok;
    }

    public FlashStatus Write(int offset, byte[] buffer, int bufferOffset, int count)
    {
        if (!Inside(offset, count)) return FlashStatus.OutOfRange;
        if (offset % alignment != 0 || count % alignment != 0) return FlashStatus.Misaligned;
        for (int i = 0; i < count; i++)
            if (_cells[offset + i] != 0xFF) throw new InvalidOperationException($"the benchmark's agent programmed unerased flash at {offset + i}");
        Array.Copy(buffer, bufferOffset, _cells, offset, count);
        return FlashStatus.Ok;
    }

    public FlashStatus Erase(int offset, int length)
    {
        if (!Inside(offset, length)) return FlashStatus.OutOfRange;
        if (offset % sector != 0 || length % sector != 0) return FlashStatus.Misaligned;
        Array.Fill(_cells, (byte)0xFF, offset, length);
        return FlashStatus.Ok;
    }
}

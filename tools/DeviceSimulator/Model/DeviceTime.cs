using SecureOta.ChipEmulator;

namespace SecureOta.DeviceSimulator.Model;

/// <summary>
/// One device's modeled time: a virtual clock shared with its chip emulator, and what each part of
/// the board spent. The chip's share is what the clock advanced that no other part charged.
/// The agent downloads on a second thread while it writes (ChunkPrefetcher): that thread runs in its own
/// lane (EnterLane), whose charges advance only the lane, not the clock; what one thread hands the other
/// carries a stamp, and the clock waits for the lane only when the writer has to wait for data (that wait
/// is charged as network time). So Wi-Fi and flash overlap as far as the two buffers let them, and the
/// CPU and the SPI bus (the writer's decrypt, hash and program) are never counted twice.
/// </summary>
public sealed class DeviceTime
{
    [ThreadStatic] private static DeviceTime? _laneOwner;
    [ThreadStatic] private static long _laneNow;

    /// <summary>Network time spent in the reader's lane, overlapped with the writer (not in the clock).</summary>
    public long OverlappedNetworkMicroseconds => Interlocked.Read(ref _overlapped);
    private long _overlapped;

    private bool InLane => ReferenceEquals(_laneOwner, this);

    /// <summary>The calling thread becomes a lane of this device (the download's reader, a background report), starting at start (a Stamp).</summary>
    public void EnterLane(long start)
    {
        _laneOwner = this;
        _laneNow = start;
    }

    /// <summary>The calling thread's time: its lane's, or the clock's.</summary>
    public long Stamp() => InLane ? _laneNow : Clock.NowMicroseconds;

    /// <summary>The calling thread waits until stamp: a lane jumps ahead; the clock advances, charged as network time (waiting for data).</summary>
    public void WaitUntil(long stamp)
    {
        if (InLane)
        {
            if (stamp > _laneNow) _laneNow = stamp;
            return;
        }
        long gap = stamp - Clock.NowMicroseconds;
        if (gap > 0) Network(gap);
    }

    // A lane's charge: only the lane moves.
    private bool Lane(long us)
    {
        if (!InLane) return false;
        _laneNow += us;
        return true;
    }
    public VirtualClock Clock { get; } = new();
    public long NetworkMicroseconds { get; private set; }
    public long FlashMicroseconds { get; private set; }
    public long CryptoMicroseconds { get; private set; }
    public long WaitMicroseconds { get; private set; }
    public long BootMicroseconds { get; private set; }

    public long ChipMicroseconds => Mark().Chip;

    /// <summary>The agent's flash wear (issue 14): erase commands as ESP-IDF issues them (blocks and sectors), bytes erased, bytes programmed.</summary>
    public long EraseOperations { get; private set; }
    public long BytesErased { get; private set; }
    public long BytesWritten { get; private set; }

    public void Erased(long operations, long bytes) { EraseOperations += operations; BytesErased += bytes; }
    public void Written(long bytes) => BytesWritten += bytes;

    public void Network(long us)
    {
        if (Lane(us)) { Interlocked.Add(ref _overlapped, us); return; }
        NetworkMicroseconds += us;
        Clock.Advance(us);
    }
    public void Flash(long us) { if (Lane(us)) return; FlashMicroseconds += us; Clock.Advance(us); }
    public void Crypto(long us) { if (Lane(us)) return; CryptoMicroseconds += us; Clock.Advance(us); }
    public void Wait(long us)
    {
        if (Lane(us)) return; /* a retry's back-off in the reader: its lane waits */
        WaitMicroseconds += us;
        Clock.Advance(us);
    }
    public void Boot(long us) { BootMicroseconds += us; Clock.Advance(us); }

    /// <summary>Every counter now: where an update's time starts (SimDevice measures from its offer's check-in).</summary>
    public DeviceTimeMark Mark() => new(Clock.NowMicroseconds, NetworkMicroseconds, OverlappedNetworkMicroseconds, FlashMicroseconds,
        CryptoMicroseconds, WaitMicroseconds, BootMicroseconds, EraseOperations, BytesErased, BytesWritten);
}

/// <summary>A DeviceTime's counters at one moment (µs, and the flash wear counts).</summary>
public readonly record struct DeviceTimeMark(long Clock, long Network, long OverlappedNetwork, long Flash, long Crypto, long Wait, long Boot,
    long EraseOperations, long BytesErased, long BytesWritten)
{
    /// <summary>The chip's share: what the clock advanced that no other part charged (DeviceTime.ChipMicroseconds reads it from here).</summary>
    public long Chip => Clock - Network - Flash - Crypto - Wait - Boot;
}

using SecureOta.ChipEmulator;

namespace SecureOta.DeviceSimulator.Model;

/// <summary>
/// One device's modeled time: a virtual clock shared with its chip emulator, and what each part of
/// the board spent. The chip's share is what the clock advanced that no other part charged.
/// </summary>
public sealed class DeviceTime
{
    public VirtualClock Clock { get; } = new();
    public long NetworkMicroseconds { get; private set; }
    public long FlashMicroseconds { get; private set; }
    public long CryptoMicroseconds { get; private set; }
    public long WaitMicroseconds { get; private set; }
    public long BootMicroseconds { get; private set; }

    public long ChipMicroseconds => Clock.NowMicroseconds - NetworkMicroseconds - FlashMicroseconds - CryptoMicroseconds - WaitMicroseconds - BootMicroseconds;

    /// <summary>The agent's flash wear (issue 14): erase commands as ESP-IDF issues them (blocks and sectors), bytes erased, bytes programmed.</summary>
    public long EraseOperations { get; private set; }
    public long BytesErased { get; private set; }
    public long BytesWritten { get; private set; }

    public void Erased(long operations, long bytes) { EraseOperations += operations; BytesErased += bytes; }
    public void Written(long bytes) => BytesWritten += bytes;

    public void Network(long us) { NetworkMicroseconds += us; Clock.Advance(us); }
    public void Flash(long us) { FlashMicroseconds += us; Clock.Advance(us); }
    public void Crypto(long us) { CryptoMicroseconds += us; Clock.Advance(us); }
    public void Wait(long us) { WaitMicroseconds += us; Clock.Advance(us); }
    public void Boot(long us) { BootMicroseconds += us; Clock.Advance(us); }
}

using SecureOta.Drivers.Chip;

namespace SecureOta.ChipEmulator;

/// <summary>
/// Virtual time shared by the driver and the emulator: sleeps and bus transfers advance it, nothing
/// waits for real. Tests run in microseconds of wall time and are deterministic.
/// </summary>
public sealed class VirtualClock : IChipClock
{
    public long NowMicroseconds { get; private set; }

    public void Sleep(int microseconds)
    {
        if (microseconds > 0) NowMicroseconds += microseconds;
    }

    public void Advance(long microseconds) => NowMicroseconds += microseconds;
}

using SecureOta.Drivers.Chip;

namespace SecureOta.FactoryStation;

/// <summary>The driver's clock when the chip is served with virtual time: every sleep advances the chip's time by as much.</summary>
public sealed class ServedChipClock(BusClient bus) : IChipClock
{
    public long NowMicroseconds { get; private set; }

    public void Sleep(int microseconds)
    {
        if (microseconds <= 0) return;
        NowMicroseconds += microseconds;
        bus.Advance(microseconds);
    }
}

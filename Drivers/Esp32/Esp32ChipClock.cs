using System.Threading;
using nanoFramework.Hardware.Esp32;
using SecureOta.Drivers.Chip;

namespace SecureOta.Drivers.Esp32
{
    /// <summary>
    /// The chip protocol's clock on the ESP32: the microsecond high-resolution timer, whole milliseconds
    /// slept, the sub-millisecond rest (the 50 µs guard time) spun on the timer, which is bounded.
    /// </summary>
    public sealed class Esp32ChipClock : IChipClock
    {
        public long NowMicroseconds
        {
            get { return (long)HighResTimer.GetCurrent(); }
        }

        public void Sleep(int microseconds)
        {
            if (microseconds <= 0)
            {
                return;
            }

            if (microseconds >= 1000)
            {
                Thread.Sleep(microseconds / 1000);
            }

            long end = NowMicroseconds + (microseconds % 1000);
            while (NowMicroseconds < end)
            {
            }
        }
    }
}

// NanoSurface: nanoFramework.Hardware.Esp32 (assembly nanoFramework.Hardware.Esp32,
// lib/nanoFramework.Hardware.Esp32.dll of NuGet nanoFramework.Hardware.Esp32 1.6.40, built on
// CoreLibrary 1.17.11, depends on Runtime.Events >= 1.11.37; 1.6.42 needs Runtime.Events 1.11.39,
// which has no upstream tag).
// Source: nanoframework/nanoFramework.Hardware.Esp32 at tag v1.6.40, nanoFramework.Hardware.Esp32/
// {Configuration,DeviceTypePins,NativeMemory,HighResTimer}.cs (subset). No reboot and no flash/partition
// API in this package.
namespace nanoFramework.Hardware.Esp32
{
    // DeviceTypePins.cs: DeviceTypes.I2C = 2 * 0x10000, + index * 0x100 + n; only the I2C pins are declared.
    public enum DeviceFunction
    {
        I2C1_DATA = 0x20100,
        I2C1_CLOCK = 0x20101,
        I2C2_DATA = 0x20200,
        I2C2_CLOCK = 0x20201,
    }

    public class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction value) { }
        public static int GetFunctionPin(DeviceFunction function) { throw null; }
    }

    public class NativeMemory
    {
        public enum MemoryType { All, Internal, SpiRam }
        public static void GetMemoryInfo(MemoryType memType, out uint totalSize, out uint totalFreeSize, out uint largestFreeBlock) { throw null; }
    }

    public delegate void HighResTimerExpiredEventHandler(HighResTimer sender, object e);

    public class HighResTimer : System.IDisposable
    {
        public HighResTimer() { }
        public event HighResTimerExpiredEventHandler OnHighResTimerExpired { add { } remove { } }
        // Microseconds since boot.
        public static ulong GetCurrent() { throw null; }
        public void Stop() { }
        public void StartOneShot(ulong timeout_us) { }
        public void StartOnePeriodic(ulong period_us) { }
        protected virtual void Dispose(bool disposing) { }
        public void Dispose() { }
    }
}

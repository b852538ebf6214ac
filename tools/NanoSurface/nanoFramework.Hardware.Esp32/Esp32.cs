// NanoSurface: nanoFramework.Hardware.Esp32 (NuGet nanoFramework.Hardware.Esp32 1.6.42).
// Source: nanoframework/nanoFramework.Hardware.Esp32, {Configuration,DeviceTypePins,NativeMemory,
// HighResTimer}.cs (main@579dbaf). No reboot and no flash/partition API in this package.
namespace nanoFramework.Hardware.Esp32
{
    // Values = DeviceTypes.X + index * 0x100 + n (DeviceTypePins.cs); only the I2C pins are declared.
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
        public enum MemoryType { All = 0, Internal = 1, SpiRam = 2 }
        public static void GetMemoryInfo(MemoryType memType, out uint totalSize, out uint totalFreeSize, out uint largestFreeBlock) { throw null; }
    }

    public class HighResTimer : System.IDisposable
    {
        // Microseconds since boot.
        public static ulong GetCurrent() { throw null; }
        public void Dispose() { }
    }
}

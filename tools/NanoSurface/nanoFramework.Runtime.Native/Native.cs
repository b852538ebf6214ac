// NanoSurface: nanoFramework.Runtime.Native (assembly nanoFramework.Runtime.Native,
// lib/nanoFramework.Runtime.Native.dll of NuGet nanoFramework.Runtime.Native 1.7.11, built on CoreLibrary 1.17.11).
// Source: nanoframework/nanoFramework.Runtime.Native at tag v1.7.11, nanoFramework.Runtime.Native/
// {RebootOption,Power,GC,SystemInfo,ExecutionConstraint,RTC}.cs and System/Environment.cs.
namespace nanoFramework.Runtime.Native
{
    public delegate void RebootEventHandler();

    public enum RebootOption { NormalReboot = 0, EnterNanoBooter = 1, ClrOnly = 2, EnterProprietaryBooter = 8 }

    public class Power
    {
        public static event RebootEventHandler OnRebootEvent { add { } remove { } }
        public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot) { }
        public static void RebootDevice(int exeConstraintTimeout, RebootOption rebootOption = RebootOption.NormalReboot) { }
    }

    public static class GC
    {
        // Returns the free managed heap in bytes.
        public static uint Run(bool compactHeap) { throw null; }
        public static void EnableGCMessages(bool enable) { }
    }

    public static class SystemInfo
    {
        public enum FloatingPoint { None = 0, SinglePrecisionSoftware = 1, SinglePrecisionHardware = 2, DoublePrecisionSoftware = 3, DoublePrecisionHardware = 4 }
        public static System.Version Version { get { throw null; } }
        public static string OEMString { get { throw null; } }
        public static byte OEM { get { throw null; } }
        public static byte Model { get { throw null; } }
        public static ushort SKU { get { throw null; } }
        public static string TargetName { get { throw null; } }
        public static string Platform { get { throw null; } }
        public static FloatingPoint FloatingPointSupport { get { throw null; } }
    }

    public class ConstraintException : System.Exception { }

    public static class ExecutionConstraint
    {
        public static void Install(int timeoutMilliseconds, int priority) { }
    }

    public static class Rtc
    {
        public static bool SetSystemTime(System.DateTime time) { throw null; }
    }
}

namespace System
{
    // System/Environment.cs: Runtime.Native declares System.Environment (mscorlib 1.17.11 has none) with
    // TickCount64, a monotonic millisecond counter.
    public static class Environment
    {
        public static long TickCount64 { get { throw null; } }
    }
}

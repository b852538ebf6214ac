// NanoSurface: nanoFramework.Runtime.Native (NuGet nanoFramework.Runtime.Native).
// Source: nanoframework/nanoFramework.Runtime.Native, nanoFramework.Runtime.Native/*.cs (main@a7c24bd).
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
        public static System.Version Version { get { throw null; } }
        public static string OEMString { get { throw null; } }
        public static string TargetName { get { throw null; } }
        public static string Platform { get { throw null; } }
    }

    public static class Rtc
    {
        public static bool SetSystemTime(System.DateTime time) { throw null; }
    }
}

namespace System
{
    // Runtime.Native adds Environment.TickCount64 (a monotonic millisecond counter).
    public static class Environment
    {
        public static long TickCount64 { get { throw null; } }
    }
}

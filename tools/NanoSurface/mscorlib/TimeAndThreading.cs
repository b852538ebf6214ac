// NanoSurface: mscorlib time and threading. Source: nanoframework/CoreLibrary System/{DateTime,
// TimeSpan}.cs and System/Threading/*.cs (main). DateTime is always UTC (no DateTime.Now);
// TimeSpan.From* take long; WaitHandle.WaitOne has no 1-argument overload.
namespace System
{
    public enum DateTimeKind { Unspecified = 0, Utc = 1 }

    public struct TimeSpan
    {
        public const long TicksPerMillisecond = 10000;
        public const long TicksPerSecond = 10000000;
        public static readonly TimeSpan Zero;
        public static readonly TimeSpan MaxValue;
        public TimeSpan(long ticks) { }
        public TimeSpan(int hours, int minutes, int seconds) { }
        public TimeSpan(int days, int hours, int minutes, int seconds, int milliseconds) { }
        public long Ticks { get { throw null; } }
        public int Days { get { throw null; } }
        public int Hours { get { throw null; } }
        public int Minutes { get { throw null; } }
        public int Seconds { get { throw null; } }
        public int Milliseconds { get { throw null; } }
        public double TotalMilliseconds { get { throw null; } }
        public double TotalSeconds { get { throw null; } }
        public static TimeSpan FromTicks(long value) { throw null; }
        public static TimeSpan FromMilliseconds(long value) { throw null; }
        public static TimeSpan FromSeconds(long value) { throw null; }
        public static TimeSpan FromMinutes(long value) { throw null; }
        public static TimeSpan FromHours(long value) { throw null; }
        public static TimeSpan operator +(TimeSpan t1, TimeSpan t2) { throw null; }
        public static TimeSpan operator -(TimeSpan t1, TimeSpan t2) { throw null; }
        public static bool operator ==(TimeSpan t1, TimeSpan t2) { throw null; }
        public static bool operator !=(TimeSpan t1, TimeSpan t2) { throw null; }
        public static bool operator <(TimeSpan t1, TimeSpan t2) { throw null; }
        public static bool operator >(TimeSpan t1, TimeSpan t2) { throw null; }
        public static bool operator <=(TimeSpan t1, TimeSpan t2) { throw null; }
        public static bool operator >=(TimeSpan t1, TimeSpan t2) { throw null; }
        public override bool Equals(object obj) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
    }

    public struct DateTime
    {
        public static readonly DateTime MinValue;
        public static readonly DateTime MaxValue;
        public static readonly DateTime UnixEpoch;
        public DateTime(long ticks) { }
        public DateTime(int year, int month, int day) { }
        public DateTime(int year, int month, int day, int hour, int minute, int second) { }
        public static DateTime UtcNow { get { throw null; } }
        public static DateTime Today { get { throw null; } }
        public long Ticks { get { throw null; } }
        public DateTimeKind Kind { get { throw null; } }
        public int Year { get { throw null; } }
        public int Month { get { throw null; } }
        public int Day { get { throw null; } }
        public int Hour { get { throw null; } }
        public int Minute { get { throw null; } }
        public int Second { get { throw null; } }
        public DateTime Add(TimeSpan val) { throw null; }
        public DateTime AddMilliseconds(double value) { throw null; }
        public DateTime AddSeconds(double value) { throw null; }
        public static DateTime FromUnixTimeSeconds(long seconds) { throw null; }
        public long ToUnixTimeSeconds() { throw null; }
        public static DateTime operator +(DateTime d, TimeSpan t) { throw null; }
        public static DateTime operator -(DateTime d, TimeSpan t) { throw null; }
        public static TimeSpan operator -(DateTime d1, DateTime d2) { throw null; }
        public static bool operator ==(DateTime d1, DateTime d2) { throw null; }
        public static bool operator !=(DateTime d1, DateTime d2) { throw null; }
        public static bool operator <(DateTime t1, DateTime t2) { throw null; }
        public static bool operator >(DateTime t1, DateTime t2) { throw null; }
        public static bool operator <=(DateTime t1, DateTime t2) { throw null; }
        public static bool operator >=(DateTime t1, DateTime t2) { throw null; }
        public override bool Equals(object obj) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
    }
}

namespace System.Threading
{
    public delegate void ThreadStart();
    public delegate void TimerCallback(object state);

    public enum ThreadPriority { Lowest = 0, BelowNormal, Normal, AboveNormal, Highest }

    public sealed class Thread
    {
        public Thread(ThreadStart start) { }
        public void Start() { }
        public void Abort() { }
        public void Join() { }
        public bool Join(int millisecondsTimeout) { throw null; }
        public bool Join(TimeSpan timeout) { throw null; }
        public bool IsAlive { get { throw null; } }
        public ThreadPriority Priority { get { throw null; } set { } }
        public int ManagedThreadId { get { throw null; } }
        public static Thread CurrentThread { get { throw null; } }
        public static void Sleep(int millisecondsTimeout) { }
        public static void Sleep(TimeSpan timeout) { }
    }

    public static class Timeout
    {
        public const int Infinite = -1;
        public static readonly TimeSpan InfiniteTimeSpan;
    }

    public static class Monitor
    {
        public static void Enter(object obj) { }
        public static void Exit(object obj) { }
    }

    public static class Interlocked
    {
        public static int Increment(ref int location) { throw null; }
        public static int Decrement(ref int location) { throw null; }
        public static int Exchange(ref int location1, int value) { throw null; }
        public static int CompareExchange(ref int location1, int value, int comparand) { throw null; }
    }

    public abstract class WaitHandle
    {
        public const int WaitTimeout = 0x102;
        public virtual bool WaitOne() { throw null; }
        public virtual bool WaitOne(int millisecondsTimeout, bool exitContext) { throw null; }
        public static int WaitAny(WaitHandle[] waitHandles, int millisecondsTimeout, bool exitContext) { throw null; }
    }

    public sealed class AutoResetEvent : WaitHandle
    {
        public AutoResetEvent(bool initialState) { }
        public bool Reset() { throw null; }
        public bool Set() { throw null; }
    }

    public sealed class ManualResetEvent : WaitHandle
    {
        public ManualResetEvent(bool initialState) { }
        public bool Reset() { throw null; }
        public bool Set() { throw null; }
    }

    public sealed class Timer : IDisposable
    {
        public Timer(TimerCallback callback, object state, int dueTime, int period) { }
        public Timer(TimerCallback callback, object state, TimeSpan dueTime, TimeSpan period) { }
        public bool Change(int dueTime, int period) { throw null; }
        public void Dispose() { }
    }
}

// NanoSurface: mscorlib primitives. Source: nanoframework/CoreLibrary, System/{Boolean,Byte,Char,
// Int16..UInt64,Single,Double}.cs (main). Standard numeric formats only (D, F, G, N, X):
// nanoframework.github.io content/architecture/simplifications-and-trade-offs.md.
namespace System
{
    public struct Boolean
    {
        public static readonly string FalseString;
        public static readonly string TrueString;
        public override string ToString() { throw null; }
    }

    public struct Char
    {
        public const char MaxValue = (char)0xFFFF;
        public const char MinValue = (char)0;
        public override string ToString() { throw null; }
        public char ToLower() { throw null; }
        public char ToUpper() { throw null; }
    }

    public struct SByte
    {
        public const sbyte MaxValue = 127;
        public const sbyte MinValue = -128;
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public static sbyte Parse(string s) { throw null; }
    }

    public struct Byte
    {
        public const byte MaxValue = 255;
        public const byte MinValue = 0;
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public static byte Parse(string s) { throw null; }
    }

    public struct Int16
    {
        public const short MaxValue = 32767;
        public const short MinValue = -32768;
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public static short Parse(string s) { throw null; }
    }

    public struct UInt16
    {
        public const ushort MaxValue = 65535;
        public const ushort MinValue = 0;
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public static ushort Parse(string s) { throw null; }
    }

    public struct Int32
    {
        public const int MaxValue = 2147483647;
        public const int MinValue = -2147483648;
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public static int Parse(string s) { throw null; }
        public static bool TryParse(string s, out int result) { throw null; }
    }

    public struct UInt32
    {
        public const uint MaxValue = 4294967295;
        public const uint MinValue = 0;
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public static uint Parse(string s) { throw null; }
        public static bool TryParse(string s, out uint result) { throw null; }
    }

    public struct Int64
    {
        public const long MaxValue = 9223372036854775807;
        public const long MinValue = -9223372036854775808;
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public static long Parse(string s) { throw null; }
        public static bool TryParse(string s, out long result) { throw null; }
    }

    public struct UInt64
    {
        public const ulong MaxValue = 18446744073709551615;
        public const ulong MinValue = 0;
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public static ulong Parse(string s) { throw null; }
        public static bool TryParse(string s, out ulong result) { throw null; }
    }

    public struct Single
    {
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
    }

    public struct Double
    {
        public override string ToString() { throw null; }
        public string ToString(string format) { throw null; }
        public static double Parse(string s) { throw null; }
    }
}

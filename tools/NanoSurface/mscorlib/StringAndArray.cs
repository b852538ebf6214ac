// NanoSurface: mscorlib String, Array, BitConverter, Convert, Guid, Version, Random, Console.
// Source: nanoframework/CoreLibrary System/{String,Array,BitConverter,Convert,Guid,Version,Random,
// Console}.cs (main). BitConverter has no span overloads in 1.x. Console is not conditional;
// System.Diagnostics.Debug is [Conditional("DEBUG")] (see Diagnostics.cs).
namespace System
{
    public sealed class String : IComparable
    {
        public static readonly string Empty;
        public String(char[] value) { }
        public String(char[] value, int startIndex, int length) { }
        public String(char c, int count) { }
        public int Length { get { throw null; } }
        [System.Runtime.CompilerServices.IndexerName("Chars")]
        public char this[int index] { get { throw null; } }
        public static bool operator ==(string a, string b) { throw null; }
        public static bool operator !=(string a, string b) { throw null; }
        public override bool Equals(object obj) { throw null; }
        public bool Equals(string value) { throw null; }
        public static bool Equals(string a, string b) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
        public int CompareTo(object value) { throw null; }
        public static int Compare(string strA, string strB) { throw null; }
        public static string Concat(object arg0) { throw null; }
        public static string Concat(object arg0, object arg1) { throw null; }
        public static string Concat(object arg0, object arg1, object arg2) { throw null; }
        public static string Concat(params object[] args) { throw null; }
        public static string Concat(string str0, string str1) { throw null; }
        public static string Concat(string str0, string str1, string str2) { throw null; }
        public static string Concat(string str0, string str1, string str2, string str3) { throw null; }
        public static string Concat(params string[] values) { throw null; }
        public static string Format(string format, params object[] args) { throw null; }
        public static bool IsNullOrEmpty(string value) { throw null; }
        public char[] ToCharArray() { throw null; }
        public string[] Split(params char[] separator) { throw null; }
        public string Substring(int startIndex) { throw null; }
        public string Substring(int startIndex, int length) { throw null; }
        public string Trim() { throw null; }
        public string TrimStart(params char[] trimChars) { throw null; }
        public string TrimEnd(params char[] trimChars) { throw null; }
        public string PadLeft(int totalWidth, char paddingChar) { throw null; }
        public string PadRight(int totalWidth, char paddingChar) { throw null; }
        public string ToUpper() { throw null; }
        public string ToLower() { throw null; }
        public int IndexOf(char value) { throw null; }
        public int IndexOf(char value, int startIndex) { throw null; }
        public int IndexOf(string value) { throw null; }
        public int IndexOf(string value, int startIndex) { throw null; }
        public int LastIndexOf(char value) { throw null; }
        public bool StartsWith(string value) { throw null; }
        public bool EndsWith(string value) { throw null; }
    }

    public abstract class Array : ICloneable, System.Collections.IList
    {
        public int Length { get { throw null; } }
        public int Rank { get { throw null; } }
        public object Clone() { throw null; }
        public static void Copy(Array sourceArray, Array destinationArray, int length) { }
        public static void Copy(Array sourceArray, int sourceIndex, Array destinationArray, int destinationIndex, int length) { }
        public static void Clear(Array array, int index, int length) { }
        public static int IndexOf(Array array, object value) { throw null; }
        public static int IndexOf(Array array, object value, int startIndex, int count) { throw null; }
        public static Array CreateInstance(Type elementType, int length) { throw null; }
        public void CopyTo(Array array, int index) { }
        public System.Collections.IEnumerator GetEnumerator() { throw null; }
        object System.Collections.IList.this[int index] { get { throw null; } set { } }
        int System.Collections.IList.Add(object value) { throw null; }
        bool System.Collections.IList.Contains(object value) { throw null; }
        void System.Collections.IList.Clear() { }
        int System.Collections.IList.IndexOf(object value) { throw null; }
        void System.Collections.IList.Insert(int index, object value) { }
        void System.Collections.IList.Remove(object value) { }
        void System.Collections.IList.RemoveAt(int index) { }
        bool System.Collections.IList.IsReadOnly { get { throw null; } }
        bool System.Collections.IList.IsFixedSize { get { throw null; } }
        int System.Collections.ICollection.Count { get { throw null; } }
        object System.Collections.ICollection.SyncRoot { get { throw null; } }
        bool System.Collections.ICollection.IsSynchronized { get { throw null; } }
    }

    public static class BitConverter
    {
        public static readonly bool IsLittleEndian;
        public static byte[] GetBytes(bool value) { throw null; }
        public static byte[] GetBytes(char value) { throw null; }
        public static byte[] GetBytes(short value) { throw null; }
        public static byte[] GetBytes(ushort value) { throw null; }
        public static byte[] GetBytes(int value) { throw null; }
        public static byte[] GetBytes(uint value) { throw null; }
        public static byte[] GetBytes(long value) { throw null; }
        public static byte[] GetBytes(ulong value) { throw null; }
        public static short ToInt16(byte[] value, int startIndex) { throw null; }
        public static ushort ToUInt16(byte[] value, int startIndex) { throw null; }
        public static int ToInt32(byte[] value, int startIndex) { throw null; }
        public static uint ToUInt32(byte[] value, int startIndex) { throw null; }
        public static long ToInt64(byte[] value, int startIndex) { throw null; }
        public static ulong ToUInt64(byte[] value, int startIndex) { throw null; }
        public static string ToString(byte[] value) { throw null; }
        public static string ToString(byte[] value, int startIndex) { throw null; }
        public static string ToString(byte[] value, int startIndex, int length) { throw null; }
    }

    public static class Convert
    {
        public static string ToBase64String(byte[] inArray) { throw null; }
        public static string ToBase64String(byte[] inArray, int offset, int length) { throw null; }
        public static byte[] FromBase64String(string s) { throw null; }
        public static byte ToByte(string value, int fromBase) { throw null; }
        public static int ToInt32(string value, int fromBase) { throw null; }
        public static uint ToUInt32(string value, int fromBase) { throw null; }
    }

    public struct Guid
    {
        public static readonly Guid Empty;
        public Guid(byte[] b) { }
        public Guid(string g) { }
        public static Guid NewGuid() { throw null; }
        public byte[] ToByteArray() { throw null; }
        public override string ToString() { throw null; }
        public override bool Equals(object o) { throw null; }
        public override int GetHashCode() { throw null; }
    }

    public sealed class Version
    {
        public Version(int major, int minor) { }
        public Version(int major, int minor, int build) { }
        public Version(int major, int minor, int build, int revision) { }
        public int Major { get { throw null; } }
        public int Minor { get { throw null; } }
        public int Build { get { throw null; } }
        public int Revision { get { throw null; } }
        public override string ToString() { throw null; }
    }

    public class Random
    {
        public Random() { }
        public Random(int seed) { }
        public virtual int Next() { throw null; }
        public virtual int Next(int maxValue) { throw null; }
        public virtual void NextBytes(byte[] buffer) { }
    }

    public static class Console
    {
        public static void Write(string value) { }
        public static void WriteLine() { }
        public static void WriteLine(string value) { }
    }
}

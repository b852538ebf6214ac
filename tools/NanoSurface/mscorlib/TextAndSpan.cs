// NanoSurface: mscorlib System.Text.Encoding (UTF-8 only) and System.SpanByte.
// Encoding: used by System.Net.Http as HttpContent.DefaultStringEncoding; the class's exact file in
// nanoframework/CoreLibrary is UNCONFIRMED (shared/reference/nanoframework.md, section 1.13), so only
// the UTF8 members that library itself calls are declared.
// SpanByte: nanoframework/CoreLibrary nanoFramework.CoreLibrary/System/SpanByte.cs (main): a readonly
// ref struct over byte[]; the only span type of 1.x, used by I2cDevice. Device code may use it only
// at the I2C boundary (Drivers/Esp32); the gate enforces that.
namespace System.Text
{
    public abstract class Encoding
    {
        public static Encoding UTF8 { get { throw null; } }
        public virtual byte[] GetBytes(string s) { throw null; }
        public virtual string GetString(byte[] bytes, int index, int count) { throw null; }
        public virtual char[] GetChars(byte[] bytes) { throw null; }
        public virtual char[] GetChars(byte[] bytes, int byteIndex, int byteCount) { throw null; }
    }
}

namespace System
{
    public readonly ref struct SpanByte
    {
        public SpanByte(byte[] array) { }
        public SpanByte(byte[] array, int start, int length) { }
        public byte this[int index] { get { throw null; } set { } }
        public int Length { get { throw null; } }
        public bool IsEmpty { get { throw null; } }
        public static SpanByte Empty { get { throw null; } }
        public void CopyTo(SpanByte destination) { }
        public SpanByte Slice(int start) { throw null; }
        public SpanByte Slice(int start, int length) { throw null; }
        public byte[] ToArray() { throw null; }
        public static implicit operator SpanByte(byte[] array) { throw null; }
    }
}

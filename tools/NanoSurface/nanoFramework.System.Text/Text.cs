// NanoSurface: System.Text (NuGet nanoFramework.System.Text 1.3.42).
// Source: nanoframework/System.Text, nanoFramework.System.Text/Text/StringBuilder.cs (main).
namespace System.Text
{
    public sealed class StringBuilder
    {
        public StringBuilder() { }
        public StringBuilder(int capacity) { }
        public StringBuilder(string value) { }
        public int Length { get { throw null; } set { } }
        public StringBuilder Append(string value) { throw null; }
        public StringBuilder Append(char value) { throw null; }
        public StringBuilder Append(int value) { throw null; }
        public StringBuilder Append(long value) { throw null; }
        public StringBuilder Append(object value) { throw null; }
        public StringBuilder AppendLine() { throw null; }
        public StringBuilder AppendLine(string value) { throw null; }
        public StringBuilder Clear() { throw null; }
        public override string ToString() { throw null; }
    }
}

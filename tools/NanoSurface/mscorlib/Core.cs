// NanoSurface: mscorlib (NuGet nanoFramework.CoreLibrary 1.17.11), reference-only.
// Source of every type in this file: nanoframework/CoreLibrary, nanoFramework.CoreLibrary/System/*.cs (main).
// Only the members our device code may use are declared; bodies are `throw null` because this
// assembly is compiled for its metadata alone (see tools/NanoGate).
namespace System
{
    public class Object
    {
        public Object() { }
        public virtual bool Equals(object obj) { throw null; }
        public static bool Equals(object objA, object objB) { throw null; }
        public static bool ReferenceEquals(object objA, object objB) { throw null; }
        public virtual int GetHashCode() { throw null; }
        public Type GetType() { throw null; }
        public virtual string ToString() { throw null; }
        protected object MemberwiseClone() { throw null; }
        ~Object() { }
    }

    public abstract class ValueType
    {
        public override bool Equals(object obj) { throw null; }
        public override int GetHashCode() { throw null; }
        public override string ToString() { throw null; }
    }

    // System/Enum.cs: no GetValues/GetNames/IsDefined; ToString() returns the number.
    public abstract class Enum : ValueType
    {
        public bool HasFlag(Enum flag) { throw null; }
    }

    public struct Void { }

    public abstract class Delegate
    {
        public static Delegate Combine(Delegate a, Delegate b) { throw null; }
        public static Delegate Remove(Delegate source, Delegate value) { throw null; }
        public static bool operator ==(Delegate d1, Delegate d2) { throw null; }
        public static bool operator !=(Delegate d1, Delegate d2) { throw null; }
        public override bool Equals(object obj) { throw null; }
        public override int GetHashCode() { throw null; }
        public object Target { get { throw null; } }
    }

    public abstract class MulticastDelegate : Delegate
    {
        public static bool operator ==(MulticastDelegate d1, MulticastDelegate d2) { throw null; }
        public static bool operator !=(MulticastDelegate d1, MulticastDelegate d2) { throw null; }
        public override bool Equals(object obj) { throw null; }
        public override int GetHashCode() { throw null; }
    }

    public delegate void Action();
    public delegate void EventHandler(object sender, EventArgs e);
    public delegate void AsyncCallback(IAsyncResult ar);

    public interface IAsyncResult
    {
        bool IsCompleted { get; }
    }

    public class EventArgs
    {
        public static readonly EventArgs Empty;
        public EventArgs() { }
    }

    public interface IDisposable { void Dispose(); }
    public interface ICloneable { object Clone(); }
    public interface IComparable { int CompareTo(object obj); }
    public interface IFormatProvider { object GetFormat(Type formatType); }
    public interface IFormattable { string ToString(string format, IFormatProvider formatProvider); }

    public abstract class Type
    {
        public abstract string FullName { get; }
        public abstract string Name { get; }
        public static Type GetTypeFromHandle(RuntimeTypeHandle handle) { throw null; }
        public static bool operator ==(Type left, Type right) { throw null; }
        public static bool operator !=(Type left, Type right) { throw null; }
        public override bool Equals(object o) { throw null; }
        public override int GetHashCode() { throw null; }
    }

    public struct RuntimeTypeHandle { }
    public struct RuntimeFieldHandle { }
    public struct RuntimeMethodHandle { }

    public struct IntPtr
    {
        public static readonly IntPtr Zero;
    }

    public struct UIntPtr { }

    // nanoFramework has Nullable only on the 2.x preview (it is generic); 1.x code cannot say int?.
}

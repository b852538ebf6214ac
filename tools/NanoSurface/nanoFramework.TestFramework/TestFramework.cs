// NanoSurface: nanoFramework.TestFramework (NuGet nanoFramework.TestFramework 3.0.80).
// Source: nanoframework/nanoFramework.TestFramework, source/TestFrameworkShared/*.cs and
// source/TestFramework/{Assert,CollectionAssert,OutputHelper}.cs (main@d4fa55e). Current names only
// (the old Equal/True/... names are [Obsolete]). Setup/Cleanup run once per class.
namespace nanoFramework.TestFramework
{
    using System;
    using System.Collections;

    [AttributeUsage(AttributeTargets.Class)] public sealed class TestClassAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Method)] public sealed class TestMethodAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Method)] public sealed class SetupAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Method)] public sealed class CleanupAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public sealed class DataRowAttribute : Attribute
    {
        public DataRowAttribute(params object[] methodParameters) { }
        public object[] MethodParameters { get { throw null; } }
    }

    public class SkipTestException : Exception
    {
        public SkipTestException() { }
        public SkipTestException(string message) { }
    }

    public sealed class Assert
    {
        public static void SkipTest(string message = "") { }
        public static void IsTrue(bool condition, string message = "") { }
        public static void IsFalse(bool condition, string message = "") { }
        public static void IsNull(object value, string message = "") { }
        public static void IsNotNull(object value, string message = "") { }
        public static void AreEqual(bool expected, bool actual, string message = "") { }
        public static void AreEqual(byte expected, byte actual, string message = "") { }
        public static void AreEqual(char expected, char actual, string message = "") { }
        public static void AreEqual(short expected, short actual, string message = "") { }
        public static void AreEqual(ushort expected, ushort actual, string message = "") { }
        public static void AreEqual(int expected, int actual, string message = "") { }
        public static void AreEqual(uint expected, uint actual, string message = "") { }
        public static void AreEqual(long expected, long actual, string message = "") { }
        public static void AreEqual(ulong expected, ulong actual, string message = "") { }
        public static void AreEqual(string expected, string actual, string message = "") { }
        public static void AreEqual(object expected, object actual, string message = "") { }
        public static void AreNotEqual(int expected, int actual, string message = "") { }
        public static void AreNotEqual(long expected, long actual, string message = "") { }
        public static void AreNotEqual(string expected, string actual, string message = "") { }
        public static void AreNotEqual(object expected, object actual, string message = "") { }
        public static void AreSame(object expected, object actual, string message = "") { }
        public static void AreNotSame(object expected, object actual, string message = "") { }
        public static void IsInstanceOfType(object obj, Type type, string message = "") { }
        public static void Contains(string expected, string actual, string message = "") { }
        public static void StartsWith(string expected, string actual, string message = "") { }
        public static void ThrowsException(Type exceptionType, Action action, string message = "") { }
    }

    public sealed class CollectionAssert
    {
        public static void AreEqual(ICollection expected, ICollection actual, string message = "") { }
        public static void AreNotEqual(ICollection expected, ICollection actual, string message = "") { }
        public static void Empty(ICollection collection, string message = "") { }
        public static void NotEmpty(ICollection collection, string message = "") { }
    }

    public sealed class OutputHelper
    {
        public static void Write(string message) { }
        public static void WriteLine(string message) { }
    }
}

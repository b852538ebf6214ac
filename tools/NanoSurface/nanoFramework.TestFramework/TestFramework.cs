// NanoSurface: nanoFramework.TestFramework (assemblies nanoFramework.TestFramework, lib/nanoFramework.TestFramework.dll,
// and nanoFramework.UnitTestLauncher, lib/nanoFramework.UnitTestLauncher.exe, of NuGet nanoFramework.TestFramework
// 3.0.77, built on CoreLibrary 1.17.11).
// Source: nanoframework/nanoFramework.TestFramework at tag v3.0.77, source/TestFrameworkShared/*.cs and
// source/TestFramework/{Assert,Assert.AreEqual,Assert.AreNotEqual,CollectionAssert,OutputHelper}.cs. Current
// names only (the old Equal/True/... names are [Obsolete]); the message parameters carry
// [CallerArgumentExpression] upstream, which changes no call site. Setup/Cleanup run once per class.
namespace nanoFramework.TestFramework
{
    using System;
    using System.Collections;

    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public class TestClassAttribute : Attribute
    {
        public virtual TestMethodAttribute GetTestMethodAttribute(TestMethodAttribute testMethodAttribute) { throw null; }
    }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)] public class TestMethodAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)] public class SetupAttribute : Attribute { }
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)] public class CleanupAttribute : Attribute { }

    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public class DataRowAttribute : Attribute
    {
        public DataRowAttribute(params object[] methodParameters) { }
        public object[] MethodParameters { get { throw null; } }
    }

    public class SkipTestException : Exception
    {
        public SkipTestException(string message = null, Exception innerException = null) { }
    }

    public sealed partial class Assert
    {
        public static void AreNotSame(object notExpected, object actual, string message = "") { }
        public static void AreSame(object expected, object actual, string message = "") { }
        public static void Contains(string expected, string value, string message = "") { }
        public static void DoesNotContains(string notExpected, string value, string message = "") { }
        public static void EndsWith(string expected, string value, string message = "") { }
        public static void IsFalse(bool condition, string message = "") { }
        public static void IsInstanceOfType(object value, Type expected, string message = "") { }
        public static void IsNotInstanceOfType(object value, Type notExpected, string message = "") { }
        public static void IsNotNull(object value, string message = "") { }
        public static void IsNull(object value, string message = "") { }
        public static void IsTrue(bool condition, string message = "") { }
        public static void SkipTest(string message = null) { }
        public static void StartsWith(string expected, string value, string message = "") { }
        public static void ThrowsException(Type exception, Action action, string message = "") { }
        public static void AreEqual(bool expected, bool actual, string message = "") { }
        public static void AreEqual(byte expected, byte actual, string message = "") { }
        public static void AreEqual(char expected, char actual, string message = "") { }
        public static void AreEqual(DateTime expected, DateTime actual, string message = "") { }
        public static void AreEqual(double expected, double actual, string message = "") { }
        public static void AreEqual(float expected, float actual, string message = "") { }
        public static void AreEqual(int expected, int actual, string message = "") { }
        public static void AreEqual(long expected, long actual, string message = "") { }
        public static void AreEqual(object expected, object actual, string message = "") { }
        public static void AreEqual(sbyte expected, sbyte actual, string message = "") { }
        public static void AreEqual(short expected, short actual, string message = "") { }
        public static void AreEqual(string expected, string actual, string message = "") { }
        public static void AreEqual(uint expected, uint actual, string message = "") { }
        public static void AreEqual(ulong expected, ulong actual, string message = "") { }
        public static void AreEqual(ushort expected, ushort actual, string message = "") { }
        public static void AreNotEqual(bool notExpected, bool actual, string message = "") { }
        public static void AreNotEqual(byte notExpected, byte actual, string message = "") { }
        public static void AreNotEqual(char notExpected, char actual, string message = "") { }
        public static void AreNotEqual(DateTime notExpected, DateTime actual, string message = "") { }
        public static void AreNotEqual(double notExpected, double actual, string message = "") { }
        public static void AreNotEqual(float notExpected, float actual, string message = "") { }
        public static void AreNotEqual(int notExpected, int actual, string message = "") { }
        public static void AreNotEqual(long notExpected, long actual, string message = "") { }
        public static void AreNotEqual(object notExpected, object actual, string message = "") { }
        public static void AreNotEqual(sbyte notExpected, sbyte actual, string message = "") { }
        public static void AreNotEqual(short notExpected, short actual, string message = "") { }
        public static void AreNotEqual(string notExpected, string actual, string message = "") { }
        public static void AreNotEqual(uint notExpected, uint actual, string message = "") { }
        public static void AreNotEqual(ulong notExpected, ulong actual, string message = "") { }
        public static void AreNotEqual(ushort notExpected, ushort actual, string message = "") { }
    }

    public sealed class CollectionAssert
    {
        public static void Empty(ICollection collection, string message = "") { }
        public static void NotEmpty(ICollection collection, string message = "") { }
        public static void AreEqual(ICollection expected, ICollection actual, string message = "") { }
        public static void AreNotEqual(ICollection expected, ICollection actual, string message = "") { }
    }

    // OutputHelper.cs: a static class.
    public static class OutputHelper
    {
        public static void Write(string message) { }
        public static void WriteLine(string message) { }
    }
}

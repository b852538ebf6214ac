using System.Collections;

namespace nanoFramework.TestFramework;

/// <summary>
/// Host implementation of nanoFramework.TestFramework's Assert. The overload set is the one declared in
/// tools/NanoSurface/nanoFramework.TestFramework, so a device test binds to the same overload on the
/// host as on the board.
/// </summary>
public sealed class Assert
{
    public static void SkipTest(string message = "") => throw new SkipTestException(message);

    public static void IsTrue(bool condition, string message = "") { if (!condition) Fail("IsTrue", "true", "false", message); }
    public static void IsFalse(bool condition, string message = "") { if (condition) Fail("IsFalse", "false", "true", message); }
    public static void IsNull(object value, string message = "") { if (value is not null) Fail("IsNull", "null", Show(value), message); }
    public static void IsNotNull(object value, string message = "") { if (value is null) Fail("IsNotNull", "not null", "null", message); }

    public static void AreEqual(bool expected, bool actual, string message = "") => Equal(expected, actual, message);
    public static void AreEqual(byte expected, byte actual, string message = "") => Equal(expected, actual, message);
    public static void AreEqual(char expected, char actual, string message = "") => Equal(expected, actual, message);
    public static void AreEqual(short expected, short actual, string message = "") => Equal(expected, actual, message);
    public static void AreEqual(ushort expected, ushort actual, string message = "") => Equal(expected, actual, message);
    public static void AreEqual(int expected, int actual, string message = "") => Equal(expected, actual, message);
    public static void AreEqual(uint expected, uint actual, string message = "") => Equal(expected, actual, message);
    public static void AreEqual(long expected, long actual, string message = "") => Equal(expected, actual, message);
    public static void AreEqual(ulong expected, ulong actual, string message = "") => Equal(expected, actual, message);
    public static void AreEqual(string expected, string actual, string message = "") => Equal(expected, actual, message);
    public static void AreEqual(object expected, object actual, string message = "") => Equal(expected, actual, message);

    public static void AreNotEqual(int expected, int actual, string message = "") => NotEqual(expected, actual, message);
    public static void AreNotEqual(long expected, long actual, string message = "") => NotEqual(expected, actual, message);
    public static void AreNotEqual(string expected, string actual, string message = "") => NotEqual(expected, actual, message);
    public static void AreNotEqual(object expected, object actual, string message = "") => NotEqual(expected, actual, message);

    public static void AreSame(object expected, object actual, string message = "")
    {
        if (!ReferenceEquals(expected, actual)) Fail("AreSame", Show(expected), Show(actual), message);
    }

    public static void AreNotSame(object expected, object actual, string message = "")
    {
        if (ReferenceEquals(expected, actual)) Fail("AreNotSame", "another instance", Show(actual), message);
    }

    public static void IsInstanceOfType(object obj, Type type, string message = "")
    {
        if (obj is null || !type.IsInstanceOfType(obj)) Fail("IsInstanceOfType", type.FullName, obj?.GetType().FullName ?? "null", message);
    }

    public static void Contains(string expected, string actual, string message = "")
    {
        if (actual is null || expected is null || !actual.Contains(expected, StringComparison.Ordinal)) Fail("Contains", Show(expected), Show(actual), message);
    }

    public static void StartsWith(string expected, string actual, string message = "")
    {
        if (actual is null || expected is null || !actual.StartsWith(expected, StringComparison.Ordinal)) Fail("StartsWith", Show(expected), Show(actual), message);
    }

    /// <summary>Passes only if action throws exactly exceptionType (as nanoFramework's Assert does).</summary>
    public static void ThrowsException(Type exceptionType, Action action, string message = "")
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is not AssertFailedException and not SkipTestException)
        {
            if (e.GetType() != exceptionType) Fail("ThrowsException", exceptionType.FullName, e.GetType().FullName + ": " + e.Message, message);
            return;
        }
        Fail("ThrowsException", exceptionType.FullName, "no exception", message);
    }

    private static void Equal<T>(T expected, T actual, string message)
    {
        if (!Equals(expected, actual)) Fail("AreEqual", Show(expected), Show(actual), message);
    }

    private static void NotEqual<T>(T notExpected, T actual, string message)
    {
        if (Equals(notExpected, actual)) Fail("AreNotEqual", "anything but " + Show(notExpected), Show(actual), message);
    }

    internal static string Show(object value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        byte[] b => "byte[" + b.Length + "] " + Convert.ToHexString(b, 0, Math.Min(b.Length, 64)) + (b.Length > 64 ? "…" : ""),
        ICollection c => c.GetType().Name + "[" + c.Count + "]",
        _ => value.ToString(),
    };

    internal static void Fail(string assertion, string expected, string actual, string message) =>
        throw new AssertFailedException($"Assert.{assertion} failed. Expected: {expected}. Actual: {actual}." +
            (string.IsNullOrEmpty(message) ? "" : " " + message));
}

/// <summary>Host implementation of nanoFramework.TestFramework's CollectionAssert.</summary>
public sealed class CollectionAssert
{
    public static void AreEqual(ICollection expected, ICollection actual, string message = "")
    {
        var diff = FirstDifference(expected, actual);
        if (diff is not null) Assert.Fail("CollectionAssert.AreEqual", Assert.Show(expected), Assert.Show(actual) + " (" + diff + ")", message);
    }

    public static void AreNotEqual(ICollection expected, ICollection actual, string message = "")
    {
        if (FirstDifference(expected, actual) is null) Assert.Fail("CollectionAssert.AreNotEqual", "a different collection", Assert.Show(actual), message);
    }

    public static void Empty(ICollection collection, string message = "")
    {
        if (collection is null || collection.Count != 0) Assert.Fail("CollectionAssert.Empty", "empty", Assert.Show(collection), message);
    }

    public static void NotEmpty(ICollection collection, string message = "")
    {
        if (collection is null || collection.Count == 0) Assert.Fail("CollectionAssert.NotEmpty", "not empty", Assert.Show(collection), message);
    }

    private static string FirstDifference(ICollection expected, ICollection actual)
    {
        if (expected is null || actual is null) return ReferenceEquals(expected, actual) ? null : "one is null";
        if (expected.Count != actual.Count) return $"count {expected.Count} vs {actual.Count}";
        var e = expected.GetEnumerator();
        var a = actual.GetEnumerator();
        for (int i = 0; e.MoveNext() && a.MoveNext(); i++)
            if (!Equals(e.Current, a.Current)) return $"first difference at index {i}: {Assert.Show(e.Current)} vs {Assert.Show(a.Current)}";
        return null;
    }
}

/// <summary>
/// Host implementation of OutputHelper: lines go to the sink the host adapter installs for the
/// running test (so they appear in the xunit output), or to the console.
/// </summary>
public sealed class OutputHelper
{
    private static readonly AsyncLocal<Action<string>> Sink = new();

    public static IDisposable Capture(Action<string> sink)
    {
        Sink.Value = sink;
        return new Reset();
    }

    public static void Write(string message) => WriteLine(message);

    public static void WriteLine(string message)
    {
        var sink = Sink.Value;
        if (sink is not null) sink(message ?? "");
        else Console.WriteLine(message);
    }

    private sealed class Reset : IDisposable
    {
        public void Dispose() => Sink.Value = null;
    }
}

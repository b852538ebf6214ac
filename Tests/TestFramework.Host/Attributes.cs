namespace nanoFramework.TestFramework;

// Same attributes as nanoFramework.TestFramework 3.0.77 (source/TestFrameworkShared/*.cs).
[AttributeUsage(AttributeTargets.Class)] public sealed class TestClassAttribute : Attribute { }
[AttributeUsage(AttributeTargets.Method)] public sealed class TestMethodAttribute : Attribute { }
[AttributeUsage(AttributeTargets.Method)] public sealed class SetupAttribute : Attribute { }
[AttributeUsage(AttributeTargets.Method)] public sealed class CleanupAttribute : Attribute { }

[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class DataRowAttribute(params object[] methodParameters) : Attribute
{
    public object[] MethodParameters { get; } = methodParameters ?? [null];
}

/// <summary>Thrown by Assert.SkipTest; the host adapter reports the test as skipped.</summary>
public class SkipTestException : Exception
{
    public SkipTestException() { }
    public SkipTestException(string message) : base(message) { }
}

/// <summary>Thrown by a failed assertion.</summary>
public class AssertFailedException(string message) : Exception(message);

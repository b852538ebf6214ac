using System.Reflection;
using nanoFramework.TestFramework;
using Xunit;
using Xunit.Abstractions;

namespace SecureOta.DeviceTests.Host;

/// <summary>
/// The xunit face of the device tests: one theory case per device test, named after it, so that
/// `dotnet test --list-tests` shows every device test and a failure names the device test.
/// </summary>
public sealed class DeviceTests(DeviceTestClasses classes, ITestOutputHelper output) : IClassFixture<DeviceTestClasses>
{
    public static IEnumerable<object[]> All() => DeviceTestCatalog.Names.Select(n => new object[] { new DeviceTestName(n) });

    [SkippableTheory]
    [MemberData(nameof(All))]
    public void Device(DeviceTestName test)
    {
        var testCase = DeviceTestCatalog.Get(test.Name);
        using var capture = OutputHelper.Capture(output.WriteLine);
        try
        {
            var instance = classes.InstanceFor(testCase.Class);
            testCase.Method.Invoke(testCase.Method.IsStatic ? null : instance,
                testCase.Arguments.Length == 0 ? null : testCase.Arguments);
        }
        catch (Exception e) when (Unwrap(e) is SkipTestException skip)
        {
            throw new SkipException(string.IsNullOrEmpty(skip.Message) ? "skipped by the device test" : skip.Message);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }

    private static Exception Unwrap(Exception e) => e is TargetInvocationException { InnerException: { } inner } ? inner : e;
}

/// <summary>
/// A device test's name as an xunit theory argument: serializable, so each case is listed at
/// discovery, and shown whole (xunit cuts string arguments after 50 characters).
/// </summary>
public sealed class DeviceTestName : IXunitSerializable
{
    public DeviceTestName() { }

    public DeviceTestName(string name) => Name = name;

    public string Name { get; private set; }

    public void Deserialize(IXunitSerializationInfo info) => Name = info.GetValue<string>("name");

    public void Serialize(IXunitSerializationInfo info) => info.AddValue("name", Name);

    public override string ToString() => Name;
}

using nanoFramework.TestFramework;
using SecureOta.DeviceTests.Host;
using Xunit;
using NanoAssert = nanoFramework.TestFramework.Assert;
using XAssert = Xunit.Assert;

namespace SecureOta.Foundation.Tests;

/// <summary>
/// The host TestFramework must fail where the board's would: a device test that passes here but would
/// fail on the board (or the reverse) would make the host run worthless.
/// </summary>
public sealed class TestFrameworkShimTests
{
    [Fact]
    public void AreEqual_Mismatch_Throws()
    {
        var e = XAssert.Throws<AssertFailedException>(() => NanoAssert.AreEqual(1, 2, "context"));
        XAssert.Contains("Expected: 1", e.Message);
        XAssert.Contains("context", e.Message);
    }

    [Fact]
    public void AreEqual_Match_DoesNotThrow() => NanoAssert.AreEqual("a", "a");

    [Fact]
    public void ThrowsException_RequiresTheExactType()
    {
        XAssert.Throws<AssertFailedException>(() =>
            NanoAssert.ThrowsException(typeof(ArgumentException), () => throw new ArgumentNullException("x")));
        XAssert.Throws<AssertFailedException>(() => NanoAssert.ThrowsException(typeof(ArgumentException), () => { }));
        NanoAssert.ThrowsException(typeof(ArgumentNullException), () => throw new ArgumentNullException("x"));
    }

    [Fact]
    public void CollectionAssert_NamesTheFirstDifference()
    {
        var e = XAssert.Throws<AssertFailedException>(() => CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, new byte[] { 1, 9, 3 }));
        XAssert.Contains("index 1", e.Message);
        XAssert.Throws<AssertFailedException>(() => CollectionAssert.AreEqual(new byte[] { 1 }, new byte[] { 1, 2 }));
    }

    [Fact]
    public void SkipTest_ThrowsSkip() => XAssert.Throws<SkipTestException>(() => NanoAssert.SkipTest("no chip"));

    [Fact]
    public void Catalog_ListsEveryTestMethodAndDataRow()
    {
        var names = DeviceTestCatalog.Names.ToList();
        XAssert.Contains("Sha256Tests.Abc_MatchesFipsVector", names);
        XAssert.Contains("Sha256Tests.StreamingInAnyChunkSize_EqualsOneShot#6(1000)", names);
        XAssert.Equal(7, names.Count(n => n.StartsWith("Sha256Tests.StreamingInAnyChunkSize_EqualsOneShot#", StringComparison.Ordinal)));
    }

    [Fact]
    public void SetupRunsOncePerClass_AndCleanupOnceAtTheEnd()
    {
        CountingClass.Setups = 0;
        CountingClass.Cleanups = 0;
        var classes = new DeviceTestClasses();
        var first = classes.InstanceFor(typeof(CountingClass));
        var second = classes.InstanceFor(typeof(CountingClass));
        XAssert.Same(first, second);
        XAssert.Equal(1, CountingClass.Setups);
        classes.Dispose();
        XAssert.Equal(1, CountingClass.Cleanups);
    }

    [Fact]
    public void SkipInSetup_SkipsEveryTestOfTheClass()
    {
        var classes = new DeviceTestClasses();
        XAssert.Throws<SkipTestException>(() => classes.InstanceFor(typeof(SkippingClass)));
        XAssert.Throws<SkipTestException>(() => classes.InstanceFor(typeof(SkippingClass)));
        classes.Dispose();
    }

    public class CountingClass
    {
        public static int Setups;
        public static int Cleanups;

        [Setup] public void Setup() => Setups++;
        [Cleanup] public void Cleanup() => Cleanups++;
    }

    public class SkippingClass
    {
        [Setup] public void Setup() => NanoAssert.SkipTest("hardware only");
    }
}

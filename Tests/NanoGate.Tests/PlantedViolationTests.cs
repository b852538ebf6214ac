using Xunit;

namespace SecureOta.NanoGate.Tests;

/// <summary>
/// The gate must be able to fail: each planted violation makes it report the rule, the file and the
/// line. The clean project passing first proves that each failure is caused by its plant.
/// </summary>
public sealed class PlantedViolationTests : IDisposable
{
    private readonly PlantedProject _project = new();

    public void Dispose() => _project.Dispose();

    private static string Wrap(string members) => $$"""
        using System;

        namespace Planted
        {
            public class Bad
            {
        {{members}}
            }
        }
        """;

    private static void AssertFinding(IReadOnlyList<GateDiagnostic> findings, string code, string file, int line)
    {
        Assert.True(findings.Any(f => f.Code == code && f.File == file && f.Line == line),
            $"expected {code} at {file}:{line}; got:\n" + string.Join("\n", findings));
    }

    [Fact]
    public void CleanProject_Passes()
    {
        Assert.Empty(_project.Run());
    }

    [Fact]
    public void PlantedListOfInt_FailsWithFileAndLine()
    {
        var file = _project.Plant("Bad.cs", """
            using System;
            using System.Collections;

            namespace Planted
            {
                public class Bad
                {
                    private List<int> _items;
                }
            }
            """);
        var findings = _project.Run();
        AssertFinding(findings, LanguageRules.GenericUsed, file, 8);
        // The type does not exist in the surface either, so the compiler names the same place.
        AssertFinding(findings, Gate.CompileError, file, 8);
    }

    [Fact]
    public void PlantedAsyncMethod_FailsWithFileAndLine()
    {
        var file = _project.Plant("Bad.cs", Wrap("""
                    public async void Fetch()
                    {
                    }
            """));
        AssertFinding(_project.Run(), LanguageRules.Async, file, 7);
    }

    [Fact]
    public void PlantedCallToMissingApi_FailsWithFileAndLine()
    {
        var file = _project.Plant("Bad.cs", Wrap("""
                    public int Bigger(int a, int b)
                    {
                        return Math.Max(a, b);
                    }
            """));
        var findings = _project.Run();
        AssertFinding(findings, Gate.CompileError, file, 9);
        Assert.Contains(findings, f => f.Message.Contains("Math", StringComparison.Ordinal));
    }

    [Fact]
    public void PlantedEnumGetValues_Fails()
    {
        var file = _project.Plant("Bad.cs", Wrap("""
                    public object All() { return Enum.GetValues(typeof(AttributeTargets)); }
            """));
        AssertFinding(_project.Run(), Gate.CompileError, file, 7);
    }

    [Theory]
    [InlineData("public void M() { var x = (1, 2); }", "NANO006")]
    [InlineData("public void M() { int[,] grid = new int[2, 2]; }", "NANO009")]
    [InlineData("public int M(int a) { return checked(a + 1); }", "NANO011")]
    [InlineData("public int? M() { return null; }", "NANO012")]
    [InlineData("public void M() { T Id<T>(T t) => t; }", "NANO001")]
    [InlineData("public unsafe void M() { }", "NANO008")]
    [InlineData("public void M(int[] a) { var n = a[^1]; }", "NANO015")]
    [InlineData("public void M(byte[] b) { SpanByte s = b; }", "NANO013")]
    [InlineData("public void M() { Action a = async () => { }; }", "NANO003")]
    [InlineData("public void M() { var b = stackalloc byte[4]; }", "NANO005")]
    [InlineData("public object M(object o) { dynamic d = o; return d; }", "NANO007")]
    [InlineData("public void M() { System.Span<byte> s = default; }", "NANO005")]
    public void PlantedFeature_FailsWithItsRule(string member, string code)
    {
        var file = _project.Plant("Bad.cs", Wrap("        " + member));
        AssertFinding(_project.Run(), code, file, 7);
    }

    [Fact]
    public void PlantedRecordAndStackallocAndLinq_Fail()
    {
        var file = _project.Plant("Bad.cs", """
            using System.Linq;

            namespace Planted
            {
                public record Point(int X, int Y);
            }
            """);
        var findings = _project.Run();
        AssertFinding(findings, LanguageRules.Linq, file, 1);
        AssertFinding(findings, LanguageRules.Record, file, 5);
    }

    [Fact]
    public void SpanByte_IsAllowedInTheEsp32Boundary()
    {
        _project.AddReference("System.Device.I2c", @"..\..\packages\nanoFramework.System.Device.I2c.1.1.29\lib\System.Device.I2c.dll");
        _project.SetPackage("nanoFramework.System.Device.I2c", "1.1.29");
        _project.Plant("Esp32/Adapter.cs", """
            using System;
            using System.Device.I2c;

            namespace Planted
            {
                public class Adapter
                {
                    public I2cTransferResult Send(I2cDevice device, byte[] data) { return device.Write(new SpanByte(data, 0, data.Length)); }
                }
            }
            """);
        Assert.Empty(_project.Run());
    }

    [Fact]
    public void SourceMissingFromTheNfproj_Fails()
    {
        var file = _project.Plant("Forgotten.cs", "namespace Planted { public class Forgotten { } }", listed: false);
        AssertFinding(_project.Run(), ProjectChecks.CompileList, file, 1);
    }

    [Fact]
    public void PackageVersionOtherThanThePin_Fails()
    {
        _project.SetPackage("nanoFramework.CoreLibrary", "2.0.0-preview.52");
        var findings = _project.Run();
        Assert.Contains(findings, f => f.Code == ProjectChecks.Packages && f.Message.Contains("2.0.0-preview.52", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingPackageDependency_Fails()
    {
        _project.AddReference("System.Net", @"..\..\packages\nanoFramework.System.Net.1.11.54\lib\System.Net.dll");
        _project.SetPackage("nanoFramework.System.Net", "1.11.54");
        var findings = _project.Run();
        Assert.Contains(findings, f => f.Code == ProjectChecks.Closure && f.File == "Agent/Planted/packages.config"
            && f.Message.Contains("nanoFramework.Runtime.Events", StringComparison.Ordinal));
    }

    [Fact]
    public void DependencyBelowItsMinimum_Fails()
    {
        _project.AddReference("System.IO.Streams", @"..\..\packages\nanoFramework.System.IO.Streams.1.1.96\lib\System.IO.Streams.dll");
        _project.SetPackage("nanoFramework.System.IO.Streams", "1.1.96");
        _project.SetPackage("nanoFramework.System.Text", "1.3.42");
        Assert.Empty(_project.Run());
        var surface = SurfaceCopy(json => json.Replace("\"nanoFramework.System.Text\": \"1.3.42\" }", "\"nanoFramework.System.Text\": \"1.3.50\" }"));
        _project.Surface = surface;
        var findings = _project.Run();
        Assert.Contains(findings, f => f.Code == ProjectChecks.Closure && f.Message.Contains("1.3.42 is below 1.3.50", StringComparison.Ordinal));
    }

    [Fact]
    public void HintPathToAFileThePackageDoesNotShip_Fails()
    {
        // nanoFramework.System.Threading ships lib/System.Threading.dll (assembly System.Threading).
        _project.AddReference("System.Threading", @"..\..\packages\nanoFramework.System.Threading.1.1.52\lib\nanoFramework.System.Threading.dll");
        _project.SetPackage("nanoFramework.System.Threading", "1.1.52");
        var findings = _project.Run();
        Assert.Contains(findings, f => f.Code == ProjectChecks.HintPath && f.File == "Agent/Planted/Planted.nfproj"
            && f.Message.Contains(@"lib\System.Threading.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void ReferenceByAnAssemblyNameNoPackageShips_Fails()
    {
        _project.AddReference("nanoFramework.System.Threading", @"..\..\packages\nanoFramework.System.Threading.1.1.52\lib\System.Threading.dll");
        Assert.Contains(_project.Run(), f => f.Code == ProjectChecks.Packages && f.Message.Contains("'nanoFramework.System.Threading'", StringComparison.Ordinal));
    }

    [Fact]
    public void EncodingWithoutReferencingSystemText_Fails_AndPassesWithTheReference()
    {
        var file = _project.Plant("Text.cs", Wrap("""
                    public byte[] Bytes(string s) { return System.Text.Encoding.UTF8.GetBytes(s); }
            """));
        Assert.Contains(_project.Run(), f => f.Code == Gate.CompileError && f.File == file && f.Line == 7);
        _project.AddReference("nanoFramework.System.Text", @"..\..\packages\nanoFramework.System.Text.1.3.42\lib\nanoFramework.System.Text.dll");
        _project.SetPackage("nanoFramework.System.Text", "1.3.42");
        Assert.Empty(_project.Run());
    }

    [Fact]
    public void PackageBuiltOnAnotherCoreLibraryLine_Fails()
    {
        _project.AddReference("nanoFramework.System.Security.Cryptography", @"..\..\packages\nanoFramework.System.Security.Cryptography.1.0.43\lib\nanoFramework.System.Security.Cryptography.dll");
        _project.SetPackage("nanoFramework.System.Security.Cryptography", "1.0.43");
        Assert.Empty(_project.Run());
        _project.Surface = SurfaceCopy(json => json.Replace(
            "\"package\": \"nanoFramework.System.Security.Cryptography\", \"version\": \"1.0.43\", \"builtOnCoreLibrary\": \"1.17.11\"",
            "\"package\": \"nanoFramework.System.Security.Cryptography\", \"version\": \"1.0.43\", \"builtOnCoreLibrary\": \"1.15.5\""));
        Assert.Contains(_project.Run(), f => f.Code == ProjectChecks.CoreLine && f.Message.Contains("1.15.5", StringComparison.Ordinal));
    }

    [Fact]
    public void CoreLibraryFlagOnADeviceProject_Fails()
    {
        _project.ExtraProperties = "    <NF_IsCoreLibrary>True</NF_IsCoreLibrary>";
        Assert.Contains(_project.Run(), f => f.Code == ProjectChecks.ProjectFile && f.Message.Contains("NF_IsCoreLibrary", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("public void M(System.Collections.Hashtable h) { var b = h.ContainsKey(1); }")]
    [InlineData("public object M() { return new nanoFramework.TestFramework.OutputHelper(); }")]
    [InlineData("public object M() { return System.IntPtr.Zero; }")]
    [InlineData("public object M() { return new Version(1, 2, 3); }")]
    [InlineData("public int M() { return (int)System.Net.HttpStatusCode.TooManyRequests; }")]
    [InlineData("public object M() { return new System.Net.HttpWebRequest(); }")]
    [InlineData("public object M() { return System.DateTimeKind.Unspecified; }")]
    public void MemberTheRealPackagesLack_Fails(string member)
    {
        foreach (var (name, package, version, file) in new[]
        {
            ("nanoFramework.System.Collections", "nanoFramework.System.Collections", "1.5.75", "nanoFramework.System.Collections.dll"),
            ("nanoFramework.TestFramework", "nanoFramework.TestFramework", "3.0.77", "nanoFramework.TestFramework.dll"),
            ("System.Net.Http", "nanoFramework.System.Net.Http", "1.5.209", "System.Net.Http.dll"),
            ("System.Net", "nanoFramework.System.Net", "1.11.54", "System.Net.dll"),
            ("System.IO.Streams", "nanoFramework.System.IO.Streams", "1.1.96", "System.IO.Streams.dll"),
        })
        {
            _project.AddReference(name, $@"..\..\packages\{package}.{version}\lib\{file}");
        }
        foreach (var (id, version) in new[] { ("nanoFramework.System.Collections", "1.5.75"), ("nanoFramework.TestFramework", "3.0.77"),
            ("nanoFramework.System.Net.Http", "1.5.209"), ("nanoFramework.System.Net", "1.11.54"), ("nanoFramework.System.IO.Streams", "1.1.96"),
            ("nanoFramework.Runtime.Events", "1.11.37"), ("nanoFramework.System.Text", "1.3.42"), ("nanoFramework.System.Threading", "1.1.52") })
        {
            _project.SetPackage(id, version);
        }
        Assert.Empty(_project.Run());
        var file2 = _project.Plant("Bad.cs", Wrap("        " + member));
        AssertFinding(_project.Run(), Gate.CompileError, file2, 7);
    }

    private string SurfaceCopy(Func<string, string> edit)
    {
        var copy = Path.Combine(_project.Root, "surface-copy");
        foreach (var f in Directory.EnumerateFiles(RepoPaths.Surface, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(RepoPaths.Surface, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target);
        }
        var json = Path.Combine(copy, "surface.json");
        var before = File.ReadAllText(json);
        var after = edit(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(json, after);
        return copy;
    }
}

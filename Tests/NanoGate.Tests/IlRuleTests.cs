using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Xunit;

namespace SecureOta.NanoGate.Tests;

/// <summary>
/// The IL and metadata pass: limits of the 1.x MetadataProcessor planted in a device project the gate
/// compiles, and IL the nanoCLR does not implement planted in an assembly compiled for the host (C# with
/// unsafe code can emit localloc, calli and mkrefany; the gate's own compile refuses unsafe code before
/// it gets that far, so the pass is tested on such an image directly).
/// </summary>
public sealed class IlRuleTests : IDisposable
{
    private readonly PlantedProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public void TypeWith256StaticMethods_Fails_255Pass()
    {
        string Type(string name, int count) =>
            $"namespace Planted {{ public class {name} {{\n" +
            string.Concat(Enumerable.Range(0, count).Select(i => $"    public static int M{i}() {{ return {i}; }}\n")) + "} }\n";
        _project.Plant("Fits.cs", Type("Fits", 255));
        Assert.Empty(_project.Run());

        var file = _project.Plant("TooMany.cs", Type("TooMany", 256));
        var findings = _project.Run();
        var finding = Assert.Single(findings, f => f.Code == IlRules.MethodCount);
        Assert.Equal(file, finding.File);
        Assert.Contains("256 static", finding.Message);
    }

    [Fact]
    public void AssemblyWhoseByteCodeOverflows65535_Fails()
    {
        var body = new StringBuilder("namespace Planted { public class Big {\n");
        for (int m = 0; m < 40; m++)
        {
            body.Append($"    public static int M{m}(int[] d) {{ int s = 0;\n");
            for (int i = 0; i < 400; i++) body.Append($"        s = s * 31 + d[{i % 8}] + {100000 + i};\n");
            body.Append("        return s; }\n");
        }
        body.Append("} }\n");
        _project.Plant("Big.cs", body.ToString());
        var findings = _project.Run();
        Assert.Contains(findings, f => f.Code == IlRules.ByteCodeSize && f.Message.Contains("65535", StringComparison.Ordinal));
    }

    [Fact]
    public void MultidimensionalArrayInASignature_IsAlsoFoundInTheMetadata()
    {
        var file = _project.Plant("Grid.cs", "namespace Planted\n{\n    public class Grid\n    {\n        public int[,] Cells;\n        public int Get(int x) { return x; }\n    }\n}\n");
        var findings = _project.Run();
        Assert.Contains(findings, f => f.Code == IlRules.MultiDimArray && f.File == file);
        Assert.Contains(findings, f => f.Code == LanguageRules.MultiDimArray && f.File == file && f.Line == 5);
    }

    [Fact]
    public void UnsupportedOpcodes_AreFoundWithTheirSourceLine()
    {
        const string source = """
            namespace Host
            {
                public static unsafe class Uses
                {
                    public static int Stack()
                    {
                        byte* p = stackalloc byte[16];
                        return p[0];
                    }

                    public static void Indirect(delegate*<void> f)
                    {
                        f();
                    }

                    public static void Reference(int x)
                    {
                        System.TypedReference r = __makeref(x);
                    }
                }
            }
            """;
        var (image, pdb) = CompileForHost(source, "Uses.cs");
        var findings = IlRules.Check(image, pdb, "Uses.csproj");
        Assert.Contains(findings, f => f.Code == IlRules.UnsupportedOpcode && f.Message.Contains("localloc", StringComparison.Ordinal) && f.File == "Uses.cs" && f.Line == 7);
        Assert.Contains(findings, f => f.Code == IlRules.UnsupportedOpcode && f.Message.Contains("calli", StringComparison.Ordinal) && f.Line == 13);
        Assert.Contains(findings, f => f.Code == IlRules.UnsupportedOpcode && f.Message.Contains("mkrefany", StringComparison.Ordinal) && f.Line == 18);
        Assert.Contains(findings, f => f.Code == IlRules.Pointer);
    }

    [Fact]
    public void OrdinaryHostCode_HasNoUnsupportedOpcode()
    {
        var (image, pdb) = CompileForHost("namespace Host { public static class Fine { public static int F(int[] a) { int s = 0; foreach (var x in a) s += x; switch (s) { case 1: return 2; case 2: return 3; } return s; } } }", "Fine.cs");
        Assert.Empty(IlRules.Check(image, pdb, "Fine.csproj"));
    }

    private static (byte[] Image, byte[] Pdb) CompileForHost(string source, string path)
    {
        var tree = CSharpSyntaxTree.ParseText(Microsoft.CodeAnalysis.Text.SourceText.From(source, Encoding.UTF8), path: path);
        var refs = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Host", [tree], refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, optimizationLevel: OptimizationLevel.Release));
        using var pe = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.Emit(pe, pdb, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb));
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return (pe.ToArray(), pdb.ToArray());
    }
}

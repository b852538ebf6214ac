using System.Diagnostics;
using Xunit;

namespace SecureOta.NanoGate.Tests;

/// <summary>The gate as `make check-nano` runs it: exit codes and the file:line message format.</summary>
public sealed class GateCommandTests
{
    private static (int ExitCode, string Output) RunGate(params string[] args)
    {
        var gateDll = Path.Combine(AppContext.BaseDirectory, "nano-gate.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(gateDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "nano-gate did not finish within 2 minutes");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void RepositoryTree_Passes()
    {
        var (code, output) = RunGate("--root", RepoPaths.Root);
        Assert.True(code == 0, output);
        Assert.Contains("0 failed", output);
    }

    [Fact]
    public void EverySurfaceAssembly_Compiles_FromTheFolderNamedLikeIt()
    {
        // A project may reference any pinned package; each surface folder must build on its own.
        var output = Directory.CreateTempSubdirectory("surface-").FullName;
        try
        {
            var (code, text) = RunGate("--root", RepoPaths.Root, "--emit-surface", output);
            Assert.True(code == 0, text);
            foreach (var assembly in SurfaceCatalog.Load(RepoPaths.Surface, RepoPaths.CoreLibrary).Assemblies.Select(a => a.Assembly).Where(a => a != "mscorlib"))
                Assert.True(File.Exists(Path.Combine(output, assembly + ".dll")), assembly + " was not emitted");
        }
        finally
        {
            Directory.Delete(output, true);
        }
    }

    [Fact]
    public void PlantedViolation_ExitsOneAndNamesFileAndLine()
    {
        using var project = new PlantedProject();
        project.Plant("Bad.cs", "namespace Planted\n{\n    public class Bad { System.Collections.Generic.List<int> _x; }\n}\n");
        project.WriteProject();
        var (code, output) = RunGate("--root", project.Root, "--surface", RepoPaths.Surface, project.NfprojPath);
        Assert.Equal(1, code);
        Assert.Contains("Agent/Planted/Bad.cs:3:", output);
        Assert.Contains("error NANO002", output);
    }

    [Fact]
    public void MissingSurface_ExitsTwoWithAHint()
    {
        var (code, output) = RunGate("--root", Path.GetTempPath());
        Assert.Equal(2, code);
        Assert.Contains("no surface.json", output);
    }
}

namespace SecureOta.NanoGate.Tests;

/// <summary>
/// A throw-away repository with one device project (Agent/Planted) that is clean until a test plants
/// a violation in it. The real NanoSurface and the real mscorlib.dll are used, so the plants meet the same API as our code.
/// </summary>
public sealed class PlantedProject : IDisposable
{
    public const string ProjectFolder = "Agent/Planted";
    private readonly List<string> _files = ["Clean.cs"];
    private readonly Dictionary<string, string> _packages = new() { ["nanoFramework.CoreLibrary"] = "1.17.11" };
    private readonly List<(string Name, string HintPath)> _references =
        [("mscorlib", @"..\..\packages\nanoFramework.CoreLibrary.1.17.11\lib\mscorlib.dll")];

    public PlantedProject()
    {
        Root = Path.Combine(Path.GetTempPath(), "nano-gate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, ProjectFolder));
        File.WriteAllText(Path.Combine(Root, ProjectFolder, "Clean.cs"), """
            using System;

            namespace Planted
            {
                public class Clean
                {
                    public int Sum(byte[] data)
                    {
                        int sum = 0;
                        for (int i = 0; i < data.Length; i++)
                        {
                            sum += data[i];
                        }

                        return sum;
                    }
                }
            }
            """);
    }

    public string Root { get; }

    public string NfprojPath => Path.Combine(Root, ProjectFolder, "Planted.nfproj");

    /// <summary>Adds a source file (listed in the .nfproj unless listed is false).</summary>
    public string Plant(string relativePath, string source, bool listed = true)
    {
        var full = Path.Combine(Root, ProjectFolder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, source);
        if (listed) _files.Add(relativePath);
        return ProjectFolder + "/" + relativePath.Replace('\\', '/');
    }

    public void SetPackage(string id, string version) => _packages[id] = version;

    public void AddReference(string name, string hintPath) => _references.Add((name, hintPath));

    /// <summary>Another surface folder (a changed copy of the real one) for tests of the pinned-set rules.</summary>
    public string Surface { get; set; } = RepoPaths.Surface;

    /// <summary>Extra lines inside the .nfproj's first PropertyGroup.</summary>
    public string ExtraProperties { get; set; } = "";

    public IReadOnlyList<GateDiagnostic> Run()
    {
        WriteProject();
        var gate = new Gate(SurfaceCatalog.Load(Surface, RepoPaths.CoreLibrary), Root);
        return gate.Run([NfprojPath]).SelectMany(r => r.Findings).ToList();
    }

    public void WriteProject()
    {
        var compile = string.Join("\n", _files.Select(f => $"    <Compile Include=\"{f.Replace('/', '\\')}\" />"));
        var refs = string.Join("\n", _references.Select(r =>
            $"    <Reference Include=\"{r.Name}\">\n      <HintPath>{r.HintPath}</HintPath>\n    </Reference>"));
        File.WriteAllText(NfprojPath, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <Project ToolsVersion="Current" DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
              <PropertyGroup>
                <OutputType>Library</OutputType>
                <AssemblyName>Planted</AssemblyName>
                <TargetFrameworkVersion>v1.0</TargetFrameworkVersion>
            {ExtraProperties}
              </PropertyGroup>
              <ItemGroup>
            {compile}
              </ItemGroup>
              <ItemGroup>
            {refs}
              </ItemGroup>
            </Project>
            """);
        var packages = string.Join("\n", _packages.Select(p => $"  <package id=\"{p.Key}\" version=\"{p.Value}\" targetFramework=\"netnano1.0\" />"));
        File.WriteAllText(Path.Combine(Root, ProjectFolder, "packages.config"),
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<packages>\n{packages}\n</packages>\n");
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

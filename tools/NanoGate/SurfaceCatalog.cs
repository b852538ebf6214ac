using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace SecureOta.NanoGate;

/// <summary>One reference-only assembly of tools/NanoSurface and the NuGet package it stands for.</summary>
public sealed record SurfaceAssembly(
    string Assembly, string Package, string Version, string VersionSource,
    IReadOnlyList<string> References, IReadOnlyList<string> PackageDependencies);

/// <summary>
/// Loads tools/NanoSurface/surface.json and compiles each surface assembly (our own declarations of
/// the nanoFramework 1.x public API) into metadata-only references, in dependency order.
/// </summary>
public sealed class SurfaceCatalog
{
    private readonly string _root;
    private readonly Dictionary<string, SurfaceAssembly> _byAssembly;
    private readonly ConcurrentDictionary<string, MetadataReference> _compiled = new(StringComparer.OrdinalIgnoreCase);

    private SurfaceCatalog(string root, IEnumerable<SurfaceAssembly> assemblies)
    {
        _root = root;
        _byAssembly = assemblies.ToDictionary(a => a.Assembly, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyCollection<SurfaceAssembly> Assemblies => _byAssembly.Values;

    public static SurfaceCatalog Load(string surfaceRoot)
    {
        var manifest = System.IO.Path.Combine(surfaceRoot, "surface.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
        var list = new List<SurfaceAssembly>();
        foreach (var a in doc.RootElement.GetProperty("assemblies").EnumerateArray())
        {
            list.Add(new SurfaceAssembly(
                a.GetProperty("assembly").GetString()!,
                a.GetProperty("package").GetString()!,
                a.GetProperty("version").GetString()!,
                a.GetProperty("versionSource").GetString()!,
                a.GetProperty("references").EnumerateArray().Select(e => e.GetString()!).ToList(),
                a.GetProperty("packageDependencies").EnumerateArray().Select(e => e.GetString()!).ToList()));
        }
        return new SurfaceCatalog(surfaceRoot, list);
    }

    public SurfaceAssembly? FindByAssembly(string assembly) =>
        _byAssembly.TryGetValue(assembly, out var a) ? a : null;

    public SurfaceAssembly? FindByPackage(string package) =>
        _byAssembly.Values.FirstOrDefault(a => string.Equals(a.Package, package, StringComparison.OrdinalIgnoreCase));

    /// <summary>The metadata reference of one surface assembly; a surface that does not compile is a gate bug.</summary>
    public MetadataReference GetReference(string assembly)
    {
        if (_compiled.TryGetValue(assembly, out var cached)) return cached;
        var surface = FindByAssembly(assembly) ?? throw new InvalidOperationException($"no NanoSurface assembly '{assembly}'");
        var deps = surface.References.Select(GetReference).ToList();
        var image = Emit(surface.Assembly, deps);
        var reference = MetadataReference.CreateFromImage(image);
        _compiled[assembly] = reference;
        return reference;
    }

    /// <summary>Writes every surface assembly as a reference-only DLL (for inspection or other tools).</summary>
    public void WriteAll(string outputDirectory)
    {
        System.IO.Directory.CreateDirectory(outputDirectory);
        foreach (var a in _byAssembly.Values)
        {
            var deps = a.References.Select(GetReference).ToList();
            File.WriteAllBytes(System.IO.Path.Combine(outputDirectory, a.Assembly + ".dll"), Emit(a.Assembly, deps));
        }
    }

    private byte[] Emit(string assembly, IReadOnlyList<MetadataReference> deps)
    {
        var folder = System.IO.Path.Combine(_root, assembly);
        var trees = System.IO.Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), GateCompiler.ParseOptions, f))
            .ToList();
        var compilation = CSharpCompilation.Create(assembly, trees, deps,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var ms = new MemoryStream();
        var result = compilation.Emit(ms, options: new EmitOptions(metadataOnly: true));
        if (!result.Success)
        {
            var errors = string.Join(Environment.NewLine, result.Diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).Select(d => d.ToString()));
            throw new InvalidOperationException($"NanoSurface assembly '{assembly}' does not compile:{Environment.NewLine}{errors}");
        }
        return ms.ToArray();
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace SecureOta.NanoGate;

/// <summary>One nanoFramework NuGet package of the pinned set (tools/NanoSurface/surface.json).</summary>
public sealed record SurfacePackage(
    string Id, string Version, string BuiltOnCoreLibrary, string Source,
    IReadOnlyDictionary<string, string> Dependencies, IReadOnlyList<SurfaceAssembly> Assemblies);

/// <summary>One assembly a package ships: its real lib/ file and the surface assemblies its declarations need.</summary>
public sealed record SurfaceAssembly(string Assembly, string File, IReadOnlyList<string> References)
{
    public SurfacePackage Package { get; internal set; } = null!;
    public string FileName => System.IO.Path.GetFileName(File);
}

/// <summary>
/// Loads tools/NanoSurface/surface.json. mscorlib is the real nanoFramework mscorlib.dll (restored from
/// NuGet); every other assembly is compiled from our declarations (one folder per assembly) into a
/// metadata-only reference, in dependency order, against that mscorlib.
/// </summary>
public sealed class SurfaceCatalog
{
    private readonly string _root;
    private readonly string _coreLibrary;
    private readonly Dictionary<string, SurfaceAssembly> _byAssembly;
    private readonly Dictionary<string, SurfacePackage> _byPackage;
    private readonly ConcurrentDictionary<string, MetadataReference> _compiled = new(StringComparer.OrdinalIgnoreCase);

    private SurfaceCatalog(string root, string coreLibrary, string coreLibraryVersion, IReadOnlyList<SurfacePackage> packages)
    {
        _root = root;
        _coreLibrary = coreLibrary;
        CoreLibraryVersion = coreLibraryVersion;
        Packages = packages;
        _byPackage = packages.ToDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);
        _byAssembly = packages.SelectMany(p => p.Assemblies).ToDictionary(a => a.Assembly, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The CoreLibrary version the whole set is built on.</summary>
    public string CoreLibraryVersion { get; }

    public IReadOnlyList<SurfacePackage> Packages { get; }

    public IReadOnlyCollection<SurfaceAssembly> Assemblies => _byAssembly.Values;

    public static SurfaceCatalog Load(string surfaceRoot, string coreLibrary)
    {
        var manifest = System.IO.Path.Combine(surfaceRoot, "surface.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
        var packages = new List<SurfacePackage>();
        foreach (var p in doc.RootElement.GetProperty("packages").EnumerateArray())
        {
            var assemblies = p.GetProperty("assemblies").EnumerateArray().Select(a => new SurfaceAssembly(
                a.GetProperty("assembly").GetString()!,
                a.GetProperty("file").GetString()!,
                a.GetProperty("references").EnumerateArray().Select(e => e.GetString()!).ToList())).ToList();
            var package = new SurfacePackage(
                p.GetProperty("package").GetString()!,
                p.GetProperty("version").GetString()!,
                p.GetProperty("builtOnCoreLibrary").GetString()!,
                p.GetProperty("source").GetString()!,
                p.GetProperty("dependencies").EnumerateObject().ToDictionary(d => d.Name, d => d.Value.GetString()!, StringComparer.OrdinalIgnoreCase),
                assemblies);
            foreach (var a in assemblies) a.Package = package;
            packages.Add(package);
        }
        return new SurfaceCatalog(surfaceRoot, coreLibrary, doc.RootElement.GetProperty("coreLibrary").GetString()!, packages);
    }

    public SurfaceAssembly? FindByAssembly(string assembly) =>
        _byAssembly.TryGetValue(assembly, out var a) ? a : null;

    public SurfacePackage? FindPackage(string id) =>
        _byPackage.TryGetValue(id, out var p) ? p : null;

    /// <summary>The metadata reference of one surface assembly; a surface that does not compile is a gate bug.</summary>
    public MetadataReference GetReference(string assembly)
    {
        if (_compiled.TryGetValue(assembly, out var cached)) return cached;
        _ = FindByAssembly(assembly) ?? throw new InvalidOperationException($"no NanoSurface assembly '{assembly}'");
        if (IsCoreLibrary(assembly))
            return _compiled[assembly] = MetadataReference.CreateFromFile(_coreLibrary);
        var deps = FindByAssembly(assembly)!.References.Select(GetReference).ToList();
        var reference = MetadataReference.CreateFromImage(Emit(assembly, deps));
        _compiled[assembly] = reference;
        return reference;
    }

    /// <summary>Writes every declared surface assembly as a reference-only DLL (for inspection or other tools).</summary>
    public void WriteAll(string outputDirectory)
    {
        System.IO.Directory.CreateDirectory(outputDirectory);
        foreach (var a in _byAssembly.Values.Where(a => !IsCoreLibrary(a.Assembly)))
            File.WriteAllBytes(System.IO.Path.Combine(outputDirectory, a.Assembly + ".dll"), Emit(a.Assembly, a.References.Select(GetReference).ToList()));
    }

    private static bool IsCoreLibrary(string assembly) =>
        string.Equals(assembly, CoreLibrary.AssemblyName, StringComparison.OrdinalIgnoreCase);

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

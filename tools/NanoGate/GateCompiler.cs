using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace SecureOta.NanoGate;

/// <summary>
/// Compiles one device project the way the nanoFramework build would: its own compile items, with no
/// standard library (NoStdLib), against the NanoSurface assemblies its .nfproj references and the
/// projects it references. Any API nanoFramework 1.x lacks is then a compiler error.
/// </summary>
public static class GateCompiler
{
    // C# 12 is what the Visual Studio 2022 toolchain of the legacy nanoFramework project system uses
    // at the oldest supported update; features past it are not assumed to reach the board.
    public static readonly CSharpParseOptions ParseOptions = new(
        LanguageVersion.CSharp12, DocumentationMode.None, SourceCodeKind.Regular, ["NANOFRAMEWORK_1_0"]);

    public sealed record Result(CSharpCompilation Compilation, IReadOnlyList<Diagnostic> Errors, MetadataReference? Reference,
        byte[]? Image, byte[]? Pdb);

    public static Result Compile(string assemblyName, OutputKind kind, IEnumerable<string> files, IEnumerable<MetadataReference> references)
    {
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(Microsoft.CodeAnalysis.Text.SourceText.From(File.ReadAllText(f), System.Text.Encoding.UTF8), ParseOptions, f)).ToList();
        var options = new CSharpCompilationOptions(kind,
            nullableContextOptions: NullableContextOptions.Disable,
            allowUnsafe: false,
            checkOverflow: false,
            // The gate must see the Main method of an Exe but never runs it.
            optimizationLevel: OptimizationLevel.Release,
            // Deterministic output with the source paths as given, so PDB documents name the real files.
            deterministic: true);
        var compilation = CSharpCompilation.Create(assemblyName, trees, references, options);
        using var ms = new MemoryStream();
        using var pdb = new MemoryStream();
        // The portable PDB maps IL offsets back to source lines for the IL pass (IlRules).
        var emit = compilation.Emit(ms, pdb, options: new EmitOptions(metadataOnly: false, debugInformationFormat: DebugInformationFormat.PortablePdb));
        var errors = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!emit.Success) return new Result(compilation, errors, null, null, null);
        var image = ms.ToArray();
        return new Result(compilation, errors, MetadataReference.CreateFromImage(image), image, pdb.ToArray());
    }
}

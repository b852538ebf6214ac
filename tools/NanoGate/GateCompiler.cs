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

    public sealed record Result(CSharpCompilation Compilation, IReadOnlyList<Diagnostic> Errors, MetadataReference? Reference);

    public static Result Compile(string assemblyName, OutputKind kind, IEnumerable<string> files, IEnumerable<MetadataReference> references)
    {
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), ParseOptions, f)).ToList();
        var options = new CSharpCompilationOptions(kind,
            nullableContextOptions: NullableContextOptions.Disable,
            allowUnsafe: false,
            checkOverflow: false,
            // The gate must see the Main method of an Exe but never runs it.
            optimizationLevel: OptimizationLevel.Release);
        var compilation = CSharpCompilation.Create(assemblyName, trees, references, options);
        using var ms = new MemoryStream();
        var emit = compilation.Emit(ms, options: new EmitOptions(metadataOnly: false));
        var errors = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        MetadataReference? reference = emit.Success ? MetadataReference.CreateFromImage(ms.ToArray()) : null;
        return new Result(compilation, errors, reference);
    }
}

using Microsoft.CodeAnalysis;

namespace SecureOta.NanoGate;

/// <summary>The whole gate: every device project under the given roots, checked and compiled.</summary>
public sealed class Gate(SurfaceCatalog surface, string root)
{
    public const string CompileError = "NANO020";

    /// <summary>The folders that hold device code: the agent, the drivers and the device tests.</summary>
    public static readonly string[] DefaultDeviceRoots = ["Agent", "Drivers", "Tests"];

    public sealed record ProjectReport(string Project, IReadOnlyList<GateDiagnostic> Findings);

    public static IEnumerable<string> FindProjects(string root, IEnumerable<string> deviceRoots) =>
        deviceRoots.Select(r => Path.Combine(root, r)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.nfproj", SearchOption.AllDirectories))
            .Where(p => !p.Replace('\\', '/').Contains("/bin/") && !p.Replace('\\', '/').Contains("/obj/"))
            .Select(Path.GetFullPath)
            .OrderBy(p => p, StringComparer.Ordinal);

    public IReadOnlyList<ProjectReport> Run(IEnumerable<string> projectPaths)
    {
        var compiled = new Dictionary<string, MetadataReference?>(StringComparer.Ordinal);
        var reports = new List<ProjectReport>();
        foreach (var path in projectPaths)
            CheckProject(path, compiled, reports, []);
        return reports;
    }

    private MetadataReference? CheckProject(string path, Dictionary<string, MetadataReference?> compiled,
        List<ProjectReport> reports, HashSet<string> inProgress)
    {
        if (compiled.TryGetValue(path, out var done)) return done;
        var rel = Path.GetRelativePath(root, path).Replace('\\', '/');
        if (!inProgress.Add(path))
        {
            reports.Add(new ProjectReport(rel, [new GateDiagnostic(rel, 1, 1, ProjectChecks.ProjectFile, "project reference cycle")]));
            return null;
        }

        var findings = new List<GateDiagnostic>();
        NfProject project;
        try
        {
            project = NfProject.Load(path);
        }
        catch (Exception e) when (e is System.Xml.XmlException or IOException)
        {
            findings.Add(new GateDiagnostic(rel, 1, 1, ProjectChecks.ProjectFile, $"cannot read the project: {e.Message}"));
            reports.Add(new ProjectReport(rel, findings));
            compiled[path] = null;
            return null;
        }

        findings.AddRange(ProjectChecks.Check(project, surface, root));

        var references = new List<MetadataReference>();
        foreach (var r in project.References)
            if (surface.FindByAssembly(r.AssemblyName) is not null)
                references.Add(surface.GetReference(r.AssemblyName));
        foreach (var p in project.ProjectReferences)
        {
            var reference = File.Exists(p) ? CheckProject(p, compiled, reports, inProgress) : null;
            if (reference is not null) references.Add(reference);
            else findings.Add(new GateDiagnostic(rel, 1, 1, ProjectChecks.ProjectFile,
                $"project reference '{Path.GetRelativePath(root, p)}' is missing or does not compile"));
        }

        var sources = project.CompileItems.Where(File.Exists).ToList();
        var kind = project.OutputType == "Exe" ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary;
        var result = GateCompiler.Compile(project.AssemblyName.Length > 0 ? project.AssemblyName : "unnamed", kind, sources, references);

        foreach (var d in result.Errors)
            findings.Add(ToFinding(d, CompileError, $"{d.Id}: {d.GetMessage()} (not in the nanoFramework 1.x API surface, or not valid C#)"));
        foreach (var tree in result.Compilation.SyntaxTrees)
        {
            var model = result.Compilation.GetSemanticModel(tree);
            foreach (var (where, code, message) in LanguageRules.Check(tree, model))
                findings.Add(ToFinding(where.GetLocation()!, code, message));
        }

        if (result.Image is not null && result.Pdb is not null)
            foreach (var (file, line, code, message) in IlRules.Check(result.Image, result.Pdb, project.Path))
                findings.Add(new GateDiagnostic(Path.GetRelativePath(root, file).Replace('\\', '/'), line, 1, code, message));

        reports.Add(new ProjectReport(rel, findings));
        inProgress.Remove(path);
        // A project whose code compiles is handed to the projects that reference it even when it has
        // other findings, so each project's own problems are reported, not a cascade of its dependency's.
        compiled[path] = result.Reference;
        return result.Reference;

        GateDiagnostic ToFinding(object source, string code, string message)
        {
            var location = source is Diagnostic diag ? diag.Location : (Location)source;
            var span = location.GetLineSpan();
            var file = span.Path.Length > 0 ? Path.GetRelativePath(root, span.Path).Replace('\\', '/') : rel;
            return new GateDiagnostic(file, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, code, message);
        }
    }
}

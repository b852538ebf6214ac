namespace SecureOta.NanoGate;

/// <summary>
/// Checks that a .nfproj and its packages.config are what the nanoFramework build needs: every device
/// source listed (or the board would run less than the host twin tests), every referenced assembly
/// backed by a pinned package at the pinned version, and packages.config complete (it is flat: the
/// packages a package depends on must be listed too).
/// </summary>
public static class ProjectChecks
{
    public const string CompileList = "NANO030";
    public const string Packages = "NANO031";
    public const string ProjectFile = "NANO032";

    /// <summary>Folders of a device project that are not device sources.</summary>
    public static readonly string[] NonDeviceFolders = ["Host", "bin", "obj"];

    public static IEnumerable<GateDiagnostic> Check(NfProject project, SurfaceCatalog surface, string root)
    {
        string Rel(string p) => Path.GetRelativePath(root, p).Replace('\\', '/');
        var nfproj = Rel(project.Path);

        if (string.IsNullOrEmpty(project.AssemblyName))
            yield return new GateDiagnostic(nfproj, 1, 1, ProjectFile, "the .nfproj has no <AssemblyName>");
        if (project.OutputType is not ("Library" or "Exe"))
            yield return new GateDiagnostic(nfproj, 1, 1, ProjectFile, $"<OutputType> is '{project.OutputType}'; a nanoFramework project is Library or Exe");

        var listed = new HashSet<string>(project.CompileItems, StringComparer.Ordinal);
        foreach (var item in project.CompileItems.Where(i => !File.Exists(i)))
            yield return new GateDiagnostic(nfproj, 1, 1, CompileList, $"<Compile Include> names '{Rel(item)}', which does not exist");

        foreach (var file in DeviceSources(project.Directory).Where(f => !listed.Contains(f)))
            yield return new GateDiagnostic(Rel(file), 1, 1, CompileList,
                $"device source not listed in {Path.GetFileName(project.Path)}: add <Compile Include=\"{Path.GetRelativePath(project.Directory, file).Replace('/', '\\')}\" /> (the host twin compiles it, the board would not)");

        foreach (var reference in project.References)
        {
            var asm = surface.FindByAssembly(reference.AssemblyName);
            if (asm is null)
            {
                yield return new GateDiagnostic(nfproj, 1, 1, Packages,
                    $"reference '{reference.AssemblyName}' is not part of the NanoSurface (tools/NanoSurface/surface.json): declare its API there first");
                continue;
            }
            // Packages restore into <solution>/packages/<id>.<version>/lib/ (packages.config style).
            var expectedDir = Path.Combine(root, "packages", $"{asm.Package}.{asm.Version}", "lib") + Path.DirectorySeparatorChar;
            var hintFull = reference.HintPath.Length == 0 ? "" : Path.GetFullPath(Path.Combine(project.Directory, reference.HintPath));
            if (!hintFull.StartsWith(expectedDir, StringComparison.OrdinalIgnoreCase))
                yield return new GateDiagnostic(nfproj, 1, 1, Packages,
                    $"reference '{reference.AssemblyName}' has HintPath '{reference.HintPath}'; expected a file in packages\\{asm.Package}.{asm.Version}\\lib\\ at the solution root");
            if (!project.Packages.TryGetValue(asm.Package, out var version))
                yield return new GateDiagnostic(nfproj, 1, 1, Packages, $"packages.config lacks {asm.Package} {asm.Version}, which provides '{asm.Assembly}'");
            else if (version != asm.Version)
                yield return new GateDiagnostic(nfproj, 1, 1, Packages, $"packages.config pins {asm.Package} {version}; the project's pin is {asm.Version}");
            foreach (var dep in asm.PackageDependencies.Where(d => !project.Packages.ContainsKey(d)))
                yield return new GateDiagnostic(nfproj, 1, 1, Packages, $"packages.config lacks {dep}, a dependency of {asm.Package}");
        }
    }

    /// <summary>All .cs files under a device project's folder, host adapters and build output excluded.</summary>
    public static IEnumerable<string> DeviceSources(string projectDirectory) =>
        Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(projectDirectory, f).Replace('\\', '/').Split('/')
                .Any(part => NonDeviceFolders.Contains(part, StringComparer.Ordinal)))
            .Select(Path.GetFullPath)
            .OrderBy(f => f, StringComparer.Ordinal);
}

namespace SecureOta.NanoGate;

/// <summary>
/// Checks that a .nfproj and its packages.config are what the nanoFramework build needs: every device
/// source listed (or the board would run less than the host twin tests), every reference resolved by a
/// HintPath to the package's real lib/ file, packages.config one pinned set closed under the packages'
/// nuspec dependencies (it is flat), and every package built on the CoreLibrary line in use. That each
/// assembly the code uses is referenced by the project itself follows from the compilation: the gate
/// passes a project only its own references, as the real build does.
/// </summary>
public static class ProjectChecks
{
    public const string CompileList = "NANO030";
    public const string Packages = "NANO031";
    public const string ProjectFile = "NANO032";
    public const string HintPath = "NANO033";
    public const string Closure = "NANO034";
    public const string CoreLine = "NANO035";

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

        // The MetadataProcessor treats an NF_IsCoreLibrary project as mscorlib itself (its generated stubs
        // then include corlib_native.h): metadata-processor MetadataProcessor.MsBuildTask/MetaDataProcessorTask.cs.
        if (project.IsCoreLibrary)
            yield return new GateDiagnostic(nfproj, 1, 1, ProjectFile,
                "NF_IsCoreLibrary is True: that flag is for mscorlib itself (the MetadataProcessor then generates core-library stubs); remove it");

        var listed = new HashSet<string>(project.CompileItems, StringComparer.Ordinal);
        foreach (var item in project.CompileItems.Where(i => !File.Exists(i)))
            yield return new GateDiagnostic(nfproj, 1, 1, CompileList, $"<Compile Include> names '{Rel(item)}', which does not exist");

        foreach (var file in DeviceSources(project.Directory).Where(f => !listed.Contains(f)))
            yield return new GateDiagnostic(Rel(file), 1, 1, CompileList,
                $"device source not listed in {Path.GetFileName(project.Path)}: add <Compile Include=\"{Path.GetRelativePath(project.Directory, file).Replace('/', '\\')}\" /> (the host twin compiles it, the board would not)");

        foreach (var finding in CheckReferences(project, surface, root, nfproj)) yield return finding;
        foreach (var finding in CheckPackagesConfig(project, surface, nfproj)) yield return finding;
    }

    // Each <Reference> resolves the way the real build resolves it: by its HintPath, which must name the
    // package's real lib/ file (restored packages.config style into <solution>/packages/<id>.<version>/).
    private static IEnumerable<GateDiagnostic> CheckReferences(NfProject project, SurfaceCatalog surface, string root, string nfproj)
    {
        foreach (var reference in project.References)
        {
            var asm = surface.FindByAssembly(reference.AssemblyName);
            if (asm is null)
            {
                yield return new GateDiagnostic(nfproj, reference.Line, 1, Packages,
                    $"reference '{reference.AssemblyName}' is not an assembly of any package in tools/NanoSurface/surface.json (check the assembly name in the package's lib/ folder, or add the package there first)");
                continue;
            }
            var package = asm.Package;
            var expected = Path.GetFullPath(Path.Combine(root, "packages", $"{package.Id}.{package.Version}", asm.File));
            var hintFull = reference.HintPath.Length == 0 ? "" : Path.GetFullPath(Path.Combine(project.Directory, reference.HintPath));
            var expectedHint = Path.GetRelativePath(project.Directory, expected).Replace('/', '\\');
            if (!string.Equals(hintFull, expected, StringComparison.OrdinalIgnoreCase))
                yield return new GateDiagnostic(nfproj, reference.Line, 1, HintPath,
                    $"reference '{reference.AssemblyName}' has HintPath '{reference.HintPath}', which a build cannot resolve; the package {package.Id} {package.Version} ships it as {asm.File}: use <HintPath>{expectedHint}</HintPath>");
            if (!project.Packages.TryGetValue(package.Id, out var version))
                yield return new GateDiagnostic(nfproj, reference.Line, 1, Packages, $"packages.config lacks {package.Id} {package.Version}, which provides '{asm.Assembly}'");
        }
    }

    // packages.config is flat: it must hold the pinned version of every package, every package's nuspec
    // dependencies at or above their minimum, and only packages built on the CoreLibrary line in use.
    private static IEnumerable<GateDiagnostic> CheckPackagesConfig(NfProject project, SurfaceCatalog surface, string nfproj)
    {
        var config = Path.Combine(Path.GetDirectoryName(nfproj) ?? "", "packages.config").Replace('\\', '/');
        var coreLine = MajorMinor(surface.CoreLibraryVersion);
        if (project.Packages.TryGetValue(CoreLibrary.PackageId, out var core) && MajorMinor(core) != coreLine)
            yield return new GateDiagnostic(config, project.PackageLine(CoreLibrary.PackageId), 1, CoreLine,
                $"{CoreLibrary.PackageId} {core} is not the CoreLibrary line {coreLine} every pinned package is built on (the interpreter matches referenced assemblies by major.minor)");
        foreach (var (id, version) in project.Packages)
        {
            var line = project.PackageLine(id);
            var package = surface.FindPackage(id);
            if (package is null)
            {
                yield return new GateDiagnostic(config, line, 1, Packages, $"{id} is not in the pinned set (tools/NanoSurface/surface.json)");
                continue;
            }
            if (version != package.Version)
                yield return new GateDiagnostic(config, line, 1, Packages,
                    $"packages.config pins {id} {version}; the pinned set has {package.Version} ({package.Source})");
            if (MajorMinor(package.BuiltOnCoreLibrary) != coreLine)
                yield return new GateDiagnostic(config, line, 1, CoreLine,
                    $"{id} {package.Version} was built on CoreLibrary {package.BuiltOnCoreLibrary}, not the {coreLine} line in use: it fails to link on the device; pin a release built on {coreLine}");
            foreach (var (dependency, minimum) in package.Dependencies)
            {
                if (!project.Packages.TryGetValue(dependency, out var have))
                    yield return new GateDiagnostic(config, line, 1, Closure,
                        $"packages.config lacks {dependency} (>= {minimum}), a dependency of {id} {package.Version} (packages.config is flat: list it)");
                else if (CompareVersions(have, minimum) < 0)
                    yield return new GateDiagnostic(config, project.PackageLine(dependency), 1, Closure,
                        $"{dependency} {have} is below {minimum}, the minimum {id} {package.Version} depends on");
            }
        }
    }

    private static string MajorMinor(string version)
    {
        var parts = version.Split('.');
        return parts.Length >= 2 ? parts[0] + "." + parts[1] : version;
    }

    /// <summary>Orders dotted numeric versions (1.11.54 &lt; 1.11.60); a part that is not a number counts as 0.</summary>
    public static int CompareVersions(string a, string b)
    {
        var x = a.Split('.');
        var y = b.Split('.');
        for (int i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            long p = i < x.Length && long.TryParse(x[i], out var xv) ? xv : 0;
            long q = i < y.Length && long.TryParse(y[i], out var yv) ? yv : 0;
            if (p != q) return p.CompareTo(q);
        }
        return 0;
    }

    /// <summary>All .cs files under a device project's folder, host adapters and build output excluded.</summary>
    public static IEnumerable<string> DeviceSources(string projectDirectory) =>
        Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(projectDirectory, f).Replace('\\', '/').Split('/')
                .Any(part => NonDeviceFolders.Contains(part, StringComparer.Ordinal)))
            .Select(Path.GetFullPath)
            .OrderBy(f => f, StringComparer.Ordinal);
}

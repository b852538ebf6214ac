using SecureOta.NanoGate;

// nano-gate: the nanoFramework 1.x compatibility gate (docs/nano-gate.md).
//   nano-gate [--root DIR] [--surface DIR] [--corlib mscorlib.dll] [--emit-surface DIR] [project.nfproj ...]
// Exit codes: 0 = every project passes, 1 = findings, 2 = usage or setup error.
string root = Directory.GetCurrentDirectory();
string? surfaceDir = null, emitDir = null, corlib = null;
var projects = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "--root": root = Path.GetFullPath(Next()); break;
            case "--surface": surfaceDir = Path.GetFullPath(Next()); break;
            case "--emit-surface": emitDir = Path.GetFullPath(Next()); break;
            case "--corlib": corlib = Path.GetFullPath(Next()); break;
            case "-h" or "--help":
                Console.WriteLine("usage: nano-gate [--root DIR] [--surface DIR] [--corlib mscorlib.dll] [--emit-surface DIR] [project.nfproj ...]");
                return 0;
            default: projects.Add(Path.GetFullPath(args[i])); break;
        }
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine($"nano-gate: {e.Message}");
        return 2;
    }
}

surfaceDir ??= Path.Combine(root, "tools", "NanoSurface");
if (!File.Exists(Path.Combine(surfaceDir, "surface.json")))
{
    Console.Error.WriteLine($"nano-gate: no surface.json in {surfaceDir}; pass --root (the repository) or --surface");
    return 2;
}

corlib ??= CoreLibrary.RestoredPath();
if (corlib is null || !File.Exists(corlib))
{
    Console.Error.WriteLine($"nano-gate: the real nanoFramework mscorlib.dll was not found ({corlib ?? "no restore folder recorded"}); run 'make restore' (it restores {CoreLibrary.PackageId}) or pass --corlib PATH/lib/mscorlib.dll");
    return 2;
}

var surface = SurfaceCatalog.Load(surfaceDir, corlib);
if (emitDir is not null) surface.WriteAll(emitDir);
if (projects.Count == 0) projects.AddRange(Gate.FindProjects(root, Gate.DefaultDeviceRoots));
if (projects.Count == 0)
{
    Console.Error.WriteLine($"nano-gate: no .nfproj found under {string.Join(", ", Gate.DefaultDeviceRoots)} in {root}");
    return 2;
}

var reports = new Gate(surface, root).Run(projects);
int failed = 0;
foreach (var report in reports)
{
    if (report.Findings.Count == 0)
    {
        Console.WriteLine($"nano-gate: ok    {report.Project}");
        continue;
    }
    failed++;
    Console.WriteLine($"nano-gate: FAIL  {report.Project} ({report.Findings.Count} finding(s))");
    foreach (var f in report.Findings.Distinct().OrderBy(f => f.File).ThenBy(f => f.Line).ThenBy(f => f.Column))
        Console.WriteLine("  " + f);
}
Console.WriteLine($"nano-gate: {reports.Count - failed} passed, {failed} failed");
return failed == 0 ? 0 : 1;

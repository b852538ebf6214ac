using System.Xml.Linq;

namespace SecureOta.NanoGate;

/// <summary>
/// What the gate reads from a legacy nanoFramework project (.nfproj) and its packages.config:
/// exactly the inputs the nanoFramework build would use, so the gate compiles what the board runs.
/// </summary>
public sealed class NfProject
{
    public required string Path { get; init; }
    public required string Directory { get; init; }
    public required string AssemblyName { get; init; }
    public required string OutputType { get; init; }
    public required IReadOnlyList<string> CompileItems { get; init; }          // absolute paths
    public required IReadOnlyList<NfReference> References { get; init; }
    public required IReadOnlyList<string> ProjectReferences { get; init; }      // absolute .nfproj paths
    public required IReadOnlyDictionary<string, string> Packages { get; init; } // id -> version

    public static NfProject Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        var doc = XDocument.Load(full);
        XNamespace ns = doc.Root!.Name.Namespace;

        string Prop(string name) =>
            doc.Descendants(ns + name).Select(e => e.Value.Trim()).FirstOrDefault() ?? "";

        var compile = doc.Descendants(ns + "Compile")
            .Select(e => (string?)e.Attribute("Include"))
            .Where(v => !string.IsNullOrEmpty(v))
            .Select(v => System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, v!.Replace('\\', '/'))))
            .ToList();

        var refs = doc.Descendants(ns + "Reference")
            .Select(e => new NfReference(
                ((string?)e.Attribute("Include") ?? "").Split(',')[0].Trim(),
                (e.Element(ns + "HintPath")?.Value ?? "").Trim().Replace('\\', '/')))
            .ToList();

        var projRefs = doc.Descendants(ns + "ProjectReference")
            .Select(e => (string?)e.Attribute("Include"))
            .Where(v => !string.IsNullOrEmpty(v))
            .Select(v => System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, v!.Replace('\\', '/'))))
            .ToList();

        var packages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var packagesConfig = System.IO.Path.Combine(dir, "packages.config");
        if (File.Exists(packagesConfig))
        {
            foreach (var p in XDocument.Load(packagesConfig).Descendants("package"))
            {
                var id = (string?)p.Attribute("id");
                var version = (string?)p.Attribute("version");
                if (id is not null && version is not null) packages[id] = version;
            }
        }

        return new NfProject
        {
            Path = full,
            Directory = dir,
            AssemblyName = Prop("AssemblyName"),
            OutputType = Prop("OutputType"),
            CompileItems = compile,
            References = refs,
            ProjectReferences = projRefs,
            Packages = packages,
        };
    }
}

/// <summary>A &lt;Reference&gt; item: the assembly name and the HintPath into ..\packages\.</summary>
public sealed record NfReference(string AssemblyName, string HintPath);

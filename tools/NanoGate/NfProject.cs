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
    /// <summary>NF_IsCoreLibrary: the MetadataProcessor's flag for building mscorlib itself.</summary>
    public required bool IsCoreLibrary { get; init; }
    public required IReadOnlyList<string> CompileItems { get; init; }          // absolute paths
    public required IReadOnlyList<NfReference> References { get; init; }
    public required IReadOnlyList<string> ProjectReferences { get; init; }      // absolute .nfproj paths
    public required IReadOnlyDictionary<string, string> Packages { get; init; } // id -> version
    public required IReadOnlyDictionary<string, int> PackageLines { get; init; } // id -> line in packages.config

    /// <summary>The line of a package in packages.config (1 when it is not listed).</summary>
    public int PackageLine(string id) => PackageLines.TryGetValue(id, out var line) ? line : 1;

    public static NfProject Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        var doc = XDocument.Load(full, LoadOptions.SetLineInfo);
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
                (e.Element(ns + "HintPath")?.Value ?? "").Trim().Replace('\\', '/'),
                ((System.Xml.IXmlLineInfo)e).LineNumber))
            .ToList();

        var projRefs = doc.Descendants(ns + "ProjectReference")
            .Select(e => (string?)e.Attribute("Include"))
            .Where(v => !string.IsNullOrEmpty(v))
            .Select(v => System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, v!.Replace('\\', '/'))))
            .ToList();

        var packages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var packageLines = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var packagesConfig = System.IO.Path.Combine(dir, "packages.config");
        if (File.Exists(packagesConfig))
        {
            foreach (var p in XDocument.Load(packagesConfig, LoadOptions.SetLineInfo).Descendants("package"))
            {
                var id = (string?)p.Attribute("id");
                var version = (string?)p.Attribute("version");
                if (id is not null && version is not null)
                {
                    packages[id] = version;
                    packageLines[id] = ((System.Xml.IXmlLineInfo)p).LineNumber;
                }
            }
        }

        return new NfProject
        {
            Path = full,
            Directory = dir,
            AssemblyName = Prop("AssemblyName"),
            OutputType = Prop("OutputType"),
            IsCoreLibrary = string.Equals(Prop("NF_IsCoreLibrary"), "true", StringComparison.OrdinalIgnoreCase),
            CompileItems = compile,
            References = refs,
            ProjectReferences = projRefs,
            Packages = packages,
            PackageLines = packageLines,
        };
    }
}

/// <summary>A &lt;Reference&gt; item: the assembly name and the HintPath into ..\packages\.</summary>
public sealed record NfReference(string AssemblyName, string HintPath, int Line);

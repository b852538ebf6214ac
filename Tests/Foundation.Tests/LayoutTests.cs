using System.Xml.Linq;
using Xunit;

namespace SecureOta.Foundation.Tests;

/// <summary>The repository layout promises of the foundation, checked so that they stay true.</summary>
public sealed class LayoutTests
{
    private static readonly string Root = RepositoryRoot.Path;

    private static IEnumerable<string> ProjectFiles(string pattern) =>
        new[] { "Agent", "Drivers", "Tests", "tools" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), pattern, SearchOption.AllDirectories))
            .Where(p => !p.Contains("/bin/") && !p.Contains("/obj/"))
            .Select(p => Path.GetRelativePath(Root, p));

    [Fact]
    public void EveryProject_IsInAgentSln()
    {
        var sln = File.ReadAllText(Path.Combine(Root, "Agent.sln"));
        foreach (var project in ProjectFiles("*.nfproj").Concat(ProjectFiles("*.csproj")))
            Assert.True(sln.Contains("\"" + project.Replace('/', '\\') + "\"", StringComparison.Ordinal),
                $"{project} is not in Agent.sln: run python3 tools/scripts/gen-sln.py");
    }

    [Fact]
    public void EveryDeviceLibrary_HasAHostTwin()
    {
        foreach (var nfproj in ProjectFiles("*.nfproj"))
        {
            var dir = Path.GetDirectoryName(Path.Combine(Root, nfproj))!;
            bool isTestProject = XDocument.Load(Path.Combine(Root, nfproj)).Descendants()
                .Any(e => e.Name.LocalName == "IsTestProject" && e.Value.Trim() == "true");
            var twin = isTestProject
                ? Path.Combine(dir + ".Host")
                : Path.Combine(dir, "Host");
            Assert.True(Directory.Exists(twin) && Directory.EnumerateFiles(twin, "*.csproj").Any(),
                $"{nfproj} has no host twin in {Path.GetRelativePath(Root, twin)}");
        }
    }

    [Fact]
    public void EveryNanoProject_PinsCoreLibrary1_17_11()
    {
        foreach (var nfproj in ProjectFiles("*.nfproj"))
        {
            var config = XDocument.Load(Path.Combine(Root, Path.GetDirectoryName(nfproj)!, "packages.config"));
            var core = config.Descendants("package").Single(p => (string?)p.Attribute("id") == "nanoFramework.CoreLibrary");
            Assert.Equal("1.17.11", (string?)core.Attribute("version"));
        }
    }

    [Fact]
    public void NugetConfig_HasOnlyNugetOrg()
    {
        var sources = XDocument.Load(Path.Combine(Root, "nuget.config")).Descendants("add").ToList();
        var source = Assert.Single(sources);
        Assert.Equal("https://api.nuget.org/v3/index.json", (string?)source.Attribute("value"));
    }
}

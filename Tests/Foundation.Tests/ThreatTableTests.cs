using System.Text.RegularExpressions;
using Xunit;

namespace SecureOta.Foundation.Tests;

/// <summary>
/// docs/threats.md promises that every row marked "stopped" names a test that shows it, and that every
/// test it names exists: checked here, so a renamed or deleted test cannot leave the table claiming a
/// protection nothing shows any more. (That the named tests pass is `make test`'s job.)
/// </summary>
public sealed class ThreatTableTests
{
    private static readonly string Root = RepositoryRoot.Path;
    private static readonly string[] Rows = File.ReadAllLines(Path.Combine(Root, "docs", "threats.md"))
        .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Threat |", StringComparison.Ordinal)
                    && !l.StartsWith("| Attack |", StringComparison.Ordinal))
        .ToArray();

    private static readonly string[] Statuses = ["stopped", "partly", "not stopped", "not applicable"];

    // | threat | status | mechanism | tests |  (no cell contains a bar)
    private static string[] Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();

    private static IEnumerable<string> Names(string cell) => Regex.Matches(cell, "`([^`]+)`").Select(m => m.Groups[1].Value);

    [Fact]
    public void TheTable_HasBothListsInFull()
    {
        var threats = Rows.Select(r => Cells(r)[0]).ToArray();
        // RFC 9124 section 4.3: 18 threats; TUF: 11 attacks (slow retrieval kept, as Uptane lists it)
        Assert.Equal(18, threats.Count(t => t.StartsWith("THREAT.", StringComparison.Ordinal)));
        foreach (var attack in new[] { "Arbitrary installation", "Endless data", "Extraneous dependencies", "Fast-forward",
                     "Indefinite freeze", "Malicious mirrors preventing updates", "Mix-and-match", "Rollback",
                     "Slow retrieval", "Vulnerability to key compromise", "Wrong software installation" })
            Assert.Contains(attack, threats);
    }

    [Fact]
    public void EveryRow_HasAStatus_AndEveryStoppedRowNamesATest()
    {
        foreach (var row in Rows)
        {
            var cells = Cells(row);
            Assert.True(cells.Length == 4, "a threats.md row without four cells: " + row);
            Assert.True(Statuses.Contains(cells[1]), $"{cells[0]}: unknown status '{cells[1]}'");
            if (cells[1] is "stopped" or "partly")
                Assert.True(Names(cells[3]).Any(), $"{cells[0]} is marked {cells[1]} but names no test");
        }
    }

    [Fact]
    public void EveryTestTheTableNames_Exists()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(Root, "Tests"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/bin/") && !p.Contains("/obj/"))
            .GroupBy(p => Path.GetFileNameWithoutExtension(p))
            .ToDictionary(g => g.Key, g => string.Concat(g.Select(File.ReadAllText)));
        var cmake = File.ReadAllText(Path.Combine(Root, "Bootloader", "CMakeLists.txt"));
        var reject = File.ReadAllText(Path.Combine(Root, "Bootloader", "tests", "test_reject.c"));

        foreach (var name in Rows.SelectMany(r => Names(Cells(r)[3])))
        {
            if (name.StartsWith("ctest:reject/", StringComparison.Ordinal))
                Assert.True(reject.Contains("\"" + name["ctest:reject/".Length..], StringComparison.Ordinal),
                    $"threats.md names {name}: no such case in Bootloader/tests/test_reject.c");
            else if (name.StartsWith("ctest:", StringComparison.Ordinal))
                Assert.True(cmake.Contains("add_test(NAME " + name["ctest:".Length..] + " ", StringComparison.Ordinal),
                    $"threats.md names {name}: no such test in Bootloader/CMakeLists.txt");
            else
            {
                var dot = name.IndexOf('.');
                Assert.True(dot > 0, $"threats.md names '{name}': expected Class.Method");
                var (cls, method) = (name[..dot], name[(dot + 1)..]);
                Assert.True(sources.TryGetValue(cls, out var text), $"threats.md names {name}: no {cls}.cs under Tests/");
                Assert.True(Regex.IsMatch(text!, @"\[(Fact|Theory)[^\]]*\]\s*(\[[^\]]*\]\s*)*public (async Task|void) " + Regex.Escape(method) + @"\("),
                    $"threats.md names {name}: no test method {method} in {cls}.cs");
            }
        }
    }
}

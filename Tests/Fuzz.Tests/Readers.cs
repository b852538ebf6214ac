using System.Security.Cryptography;
using SecureOta.DiffFuzz;

namespace SecureOta.Fuzz.Tests;

/// <summary>
/// Both readers on the boot stage's fixtures (Bootloader/build/fixtures, made by update-tool in the
/// CTest fixture step) and the seed manifest of v7. Needs the boot stage's CMake build (make build).
/// </summary>
public sealed class Readers : IDisposable
{
    public static string Root { get; } = FindRoot();
    public static string Fixtures => Path.Combine(Root, "Bootloader", "build", "fixtures");
    public static string Library => Path.Combine(Root, "Bootloader", "build", "libbs_diff.so");

    private readonly FixtureSet _set;
    public ECDsa Key => _set.Key;
    public AgentReader Agent { get; }
    public BootStageReader BootStage { get; }
    public EnvelopeBuilder Builder { get; }
    public byte[] Manifest { get; }
    public string PayloadKey { get; }
    public ulong PayloadLength { get; }

    public Readers()
    {
        if (!File.Exists(Library) || !File.Exists(Path.Combine(Fixtures, "v7.suit")))
            throw new InvalidOperationException($"{Library} or the fixtures are missing: run make build and the boot stage's fixtures test first");
        _set = new FixtureSet(Fixtures);
        Agent = _set.Agent();
        BootStage = _set.BootStage(Library);
        Builder = new EnvelopeBuilder(Key, new Random(1));
        (Manifest, PayloadKey, PayloadLength) = _set.Seed("v7.suit");
    }

    /// <summary>Another fixture's manifest, payload key and length (Bootloader/tests/make-fixtures.sh).</summary>
    public Seed Seed(string fixture) => _set.Seed(fixture);

    /// <summary>The header for a manifest, signed (low-S) by the vendor key.</summary>
    public byte[] Header(byte[] manifest) => Builder.Build(manifest, Builder.Signature(manifest), PayloadKey, PayloadLength, null, out _);

    public void Dispose()
    {
        Agent.Dispose();
        _set.Dispose();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Agent.sln"))) return dir.FullName;
        throw new InvalidOperationException("Agent.sln not found above " + AppContext.BaseDirectory);
    }
}

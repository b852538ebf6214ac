using System.Security.Cryptography;
using SecureOta.Core.Suit;
using SecureOta.DiffFuzz;
using Xunit;

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

    public ECDsa Key { get; } = ECDsa.Create();
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
        var ids = File.ReadAllLines(Path.Combine(Fixtures, "ids.txt")).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => Convert.FromHexString(p[1]));
        Key.ImportFromPem(File.ReadAllText(Path.Combine(Fixtures, "vendor.key.pem")));
        Agent = new AgentReader(Key, ids["vendor"], ids["class"]);
        BootStage = new BootStageReader(Library, Path.Combine(Fixtures, "vendor.pub.pem"), ids["vendor"], ids["class"]);
        Builder = new EnvelopeBuilder(Key, new Random(1));
        var data = File.ReadAllBytes(Path.Combine(Fixtures, "v7.suit"));
        var prefix = data[..SuitEnvelopeReader.MaxHeaderLength];
        Assert.True(SuitEnvelopeReader.Read(prefix, prefix.Length, data.Length, out var env).IsOk);
        Manifest = prefix[env.ManifestOffset..(env.ManifestOffset + env.ManifestLength)];
        PayloadKey = env.PayloadKey;
        PayloadLength = (ulong)env.PayloadLength;
    }

    /// <summary>The header for a manifest, signed (low-S) by the vendor key.</summary>
    public byte[] Header(byte[] manifest) => Builder.Build(manifest, Builder.Signature(manifest), PayloadKey, PayloadLength, null, out _);

    public void Dispose()
    {
        Agent.Dispose();
        Key.Dispose();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Agent.sln"))) return dir.FullName;
        throw new InvalidOperationException("Agent.sln not found above " + AppContext.BaseDirectory);
    }
}

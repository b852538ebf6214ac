using System.Security.Cryptography;
using SecureOta.Core.Suit;

namespace SecureOta.DiffFuzz;

/// <summary>One seed: a fixture data set's manifest with the payload key and length its envelope carries.</summary>
public sealed record Seed(byte[] Manifest, string PayloadKey, ulong PayloadLength);

/// <summary>
/// The boot stage's fixtures (Bootloader/build/fixtures, made by update-tool in the CTest fixture step):
/// the vendor's key pair, the vendor and class ids (ids.txt) and the data sets used as seeds.
/// Read here once for diff-fuzz and for Tests/Fuzz.Tests.
/// </summary>
public sealed class FixtureSet : IDisposable
{
    public string Directory { get; }
    public ECDsa Key { get; } = ECDsa.Create();
    public byte[] VendorId { get; }
    public byte[] ClassId { get; }
    public string PublicKeyPath => Path.Combine(Directory, "vendor.pub.pem");

    public FixtureSet(string directory)
    {
        Directory = directory;
        var ids = File.ReadAllLines(Path.Combine(directory, "ids.txt")).Select(l => l.Split(' ')).ToDictionary(p => p[0], p => Convert.FromHexString(p[1]));
        VendorId = ids["vendor"];
        ClassId = ids["class"];
        Key.ImportFromPem(File.ReadAllText(Path.Combine(directory, "vendor.key.pem")));
    }

    public AgentReader Agent() => new(Key, VendorId, ClassId);

    public BootStageReader BootStage(string library) => new(Path.GetFullPath(library), PublicKeyPath, VendorId, ClassId);

    /// <summary>The seed of a fixture data set (for example "v7.suit"), read by the agent's envelope reader.</summary>
    public Seed Seed(string name)
    {
        var data = File.ReadAllBytes(Path.Combine(Directory, name));
        var prefix = data[..Math.Min(data.Length, SuitEnvelopeReader.MaxHeaderLength)];
        if (!SuitEnvelopeReader.Read(prefix, prefix.Length, data.Length, out var env).IsOk)
            throw new InvalidOperationException(name + " does not read");
        return new Seed(prefix[env.ManifestOffset..(env.ManifestOffset + env.ManifestLength)], env.PayloadKey, (ulong)env.PayloadLength);
    }

    public void Dispose() => Key.Dispose();
}

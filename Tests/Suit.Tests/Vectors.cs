using System.Security.Cryptography;

namespace SecureOta.Suit.Tests;

/// <summary>The specification vectors under Tests/Vectors (copied unchanged from the drafts).</summary>
public static class Vectors
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Agent.sln"))) return Path.Combine(dir.FullName, "Tests", "Vectors");
        throw new InvalidOperationException("repository root not found");
    }

    public static byte[] Hex(string relativePath) =>
        Convert.FromHexString(string.Concat(File.ReadAllText(Path.Combine(Root, relativePath)).Where(c => !char.IsWhiteSpace(c))));

    public static byte[] Example(int n) => Hex($"suit-manifest/example{n}.hex");

    public static ECDsa DraftSignerKey()
    {
        var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(Path.Combine(Root, "suit-manifest", "signer-public-key.pem")));
        return key;
    }
}

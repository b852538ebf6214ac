using System.Security.Cryptography;

namespace SecureOta.UpdateServer.Artifacts;

/// <summary>
/// Immutable, content-addressed data sets: DIR/artifacts/&lt;sha256 hex&gt;.suit, written to a temporary
/// file, flushed to disk and renamed, so a reader (or a restart after a crash) never sees half a file and
/// a digest always names the same bytes.
/// The directory can be served as-is by any static server (nginx, a CDN). Detached payloads live in a
/// second store of the same kind, DIR/payloads/&lt;sha256 hex&gt;.bin (ForPayloads).
/// </summary>
public sealed class ArtifactStore
{
    private readonly string _root;
    private readonly string _extension;

    public ArtifactStore(string dataDirectory) : this(dataDirectory, "artifacts", ".suit") { }

    private ArtifactStore(string dataDirectory, string folder, string extension)
    {
        _root = Path.Combine(dataDirectory, folder);
        _extension = extension;
        Directory.CreateDirectory(_root);
        RemoveAbandonedTemporaries(DateTime.UtcNow - AbandonedAfter);
    }

    /// <summary>
    /// A temporary file older than this was left by a writer that died (SIGKILL, power loss) before its
    /// rename. Younger ones are left alone: a replica sharing the directory may be writing one right now.
    /// </summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(10);

    private void RemoveAbandonedTemporaries(DateTime writtenBefore)
    {
        foreach (var temp in Directory.EnumerateFiles(_root, "*" + _extension + ".*.tmp"))
            if (File.GetLastWriteTimeUtc(temp) < writtenBefore)
                try { File.Delete(temp); } catch (IOException) { } // gone already, or in use: the next start tries again
    }

    /// <summary>The store of detached payloads (update-tool create --payload-uri .../payloads/{sha256}).</summary>
    public static ArtifactStore ForPayloads(string dataDirectory) => new(dataDirectory, "payloads", ".bin");

    public static string Digest(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    public string PathOf(string digest) => Path.Combine(_root, digest + _extension);

    /// <summary>Stores the bytes under their digest (idempotent) and returns the digest.</summary>
    public string Put(byte[] bytes)
    {
        var digest = Digest(bytes);
        var path = PathOf(digest);
        if (File.Exists(path)) return digest;
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            file.Write(bytes);
            file.Flush(flushToDisk: true); // on disk before the name points at it: a crash leaves the old state or the whole file
        }
        File.Move(temp, path, overwrite: true);
        DirectorySync.Sync(_root); // the new name, too, on disk before the upload is answered and stored
        return digest;
    }

    /// <summary>True for a well-formed digest whose artifact exists (never a path outside the store).</summary>
    public bool Exists(string digest) =>
        digest.Length == 64 && digest.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f') && File.Exists(PathOf(digest));
}

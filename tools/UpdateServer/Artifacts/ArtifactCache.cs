using System.Collections.Concurrent;

namespace SecureOta.UpdateServer.Artifacts;

/// <summary>
/// Artifacts held in memory to serve them without a file read per request (a rollout has every board
/// download the same few data sets). They are named by their content digest and never change, so a
/// cached copy can never be stale. Bounded: an artifact over MaxArtifactBytes, or one that would take the
/// cache over MaxBytes, is served from its file instead.
/// </summary>
public sealed class ArtifactCache(long maxBytes = ArtifactCache.DefaultMaxBytes)
{
    public const long DefaultMaxBytes = 256L * 1024 * 1024, MaxArtifactBytes = 16L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, byte[]> _entries = new();
    private long _bytes;

    /// <summary>The artifact's bytes from memory, read from path once; null if it is not to be cached (too big, cache full).</summary>
    public byte[]? Get(string digest, string path)
    {
        if (_entries.TryGetValue(digest, out var cached)) return cached;
        var length = new FileInfo(path).Length;
        if (length > MaxArtifactBytes || Interlocked.Read(ref _bytes) + length > maxBytes) return null;
        var bytes = File.ReadAllBytes(path);
        if (_entries.TryAdd(digest, bytes)) Interlocked.Add(ref _bytes, bytes.Length);
        return _entries[digest];
    }
}

using SecureOta.UpdateServer.Artifacts;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>The in-memory artifact cache: the file's bytes once, then from memory; bounded in total and per artifact.</summary>
public sealed class ArtifactCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("artifact-cache-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string File(string name, int size)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllBytes(path, Enumerable.Range(0, size).Select(i => (byte)(i * 7 + size)).ToArray());
        return path;
    }

    [Fact]
    public void AnArtifact_IsReadOnce_ThenServedFromMemory()
    {
        var cache = new ArtifactCache();
        var path = File("a", 1000);
        var first = cache.Get("a", path);
        Assert.Equal(System.IO.File.ReadAllBytes(path), first);
        System.IO.File.Delete(path); /* content-addressed: the cached copy is the artifact */
        Assert.Same(first, cache.Get("a", path));
    }

    [Fact]
    public void TheCache_StaysWithinItsBounds()
    {
        var cache = new ArtifactCache(maxBytes: 2500);
        Assert.NotNull(cache.Get("a", File("a", 1000)));
        Assert.NotNull(cache.Get("b", File("b", 1000)));
        Assert.Null(cache.Get("c", File("c", 1000))); /* would exceed 2500: served from its file */
        Assert.Null(new ArtifactCache().Get("big", File("big", (int)ArtifactCache.MaxArtifactBytes + 1)));
    }
}

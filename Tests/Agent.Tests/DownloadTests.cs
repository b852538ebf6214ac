using SecureOta.Agent.Update.Download;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>The resumable download against a network that drops and lies.</summary>
public sealed class DownloadTests
{
    private const string Url = "http://server/ds/1";

    private static (ResumableDownload Download, RecordingDelay Delay) Open(ScriptedNetwork net, long expected = -1)
    {
        var delay = new RecordingDelay();
        return (new ResumableDownload(net, Url, expected, delay), delay);
    }

    private static byte[] ReadAll(ResumableDownload d, out int lastRead)
    {
        var result = new MemoryStream();
        var buffer = new byte[1000];
        while (true)
        {
            lastRead = d.Read(buffer, 0, buffer.Length);
            if (lastRead <= 0) return result.ToArray();
            result.Write(buffer, 0, lastRead);
        }
    }

    [Theory]
    [InlineData("bytes 0-0/1", 0, 0, 1)]
    [InlineData("bytes 100-999/1000", 100, 999, 1000)]
    [InlineData("bytes 4194303-4194303/4194304", 4194303, 4194303, 4194304)]
    public void ContentRange_ParsesTheByteRangeForm(string value, long first, long last, long complete)
    {
        Assert.True(ContentRange.TryParse(value, out var f, out var l, out var c));
        Assert.Equal((first, last, complete), (f, l, c));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bytes */1000")]
    [InlineData("bytes 100-999/*")]
    [InlineData("bytes 100-99/1000")]
    [InlineData("bytes 100-1000/1000")]
    [InlineData("bytes  100-999/1000")]
    [InlineData("items 100-999/1000")]
    [InlineData("bytes 100-999/1000 ")]
    [InlineData("bytes -100-999/1000")]
    [InlineData("bytes 1000000000000000-1000000000000001/1000000000000002")]
    public void ContentRange_RefusesAnythingElse(string? value) => Assert.False(ContentRange.TryParse(value!, out _, out _, out _));

    [Fact]
    public void DropsAtManyOffsets_ResumeExactlyWhereTheyStopped_WithIfRange()
    {
        var artifact = AgentRig.Image(300_000, 1);
        var net = new ScriptedNetwork(artifact);
        long[] cuts = [1, 999, 1000, 4096, 65_537, 150_000, 299_999];
        foreach (var c in cuts) net.CutsAt.Add(c);
        var (d, _) = Open(net, artifact.Length);

        Assert.True(d.Open());
        Assert.Equal(artifact, ReadAll(d, out var last));
        Assert.Equal(0, last);
        Assert.Equal(DownloadError.None, d.Error);
        Assert.Equal(cuts.Length, d.Reconnects);
        Assert.Equal([(0L, (string?)null), .. cuts.Select(c => (c, (string?)"\"v1\""))], net.Requests);
    }

    [Fact]
    public void AServerThatIgnoresRanges_IsNeverSpliced()
    {
        var net = new ScriptedNetwork(AgentRig.Image(10_000, 2)) { IgnoresRanges = true };
        net.CutsAt.Add(5000);
        var (d, _) = Open(net);
        Assert.True(d.Open());
        var got = ReadAll(d, out var last);
        Assert.Equal(-1, last);
        Assert.Equal(5000, got.Length);
        Assert.Equal(DownloadError.RangeRefused, d.Error);
        Assert.Equal((int)DownloadError.RangeRefused, d.FailureCode);
        Assert.Contains("not splicing", d.FailureMessage);
    }

    [Fact]
    public void AnArtifactReplacedMidDownload_StopsTheDownload()
    {
        var net = new ScriptedNetwork(AgentRig.Image(10_000, 3)) { ReplaceAt = (4000, AgentRig.Image(10_000, 4), "\"v2\"") };
        var (d, _) = Open(net);
        Assert.True(d.Open());
        Assert.Equal(4000, ReadAll(d, out _).Length);
        Assert.Equal(DownloadError.RangeRefused, d.Error); // If-Range did its job: the server sent 200
    }

    [Fact]
    public void AnArtifactReplacedBehindABrokenCache_IsCaughtByTheETag()
    {
        var net = new ScriptedNetwork(AgentRig.Image(10_000, 3)) { IgnoresIfRange = true, ReplaceAt = (4000, AgentRig.Image(10_000, 4), "\"v2\"") };
        var (d, _) = Open(net);
        Assert.True(d.Open());
        Assert.Equal(4000, ReadAll(d, out _).Length);
        Assert.Equal(DownloadError.ArtifactChanged, d.Error);
    }

    [Fact]
    public void AWrongContentRange_IsRefused()
    {
        var net = new ScriptedNetwork(AgentRig.Image(10_000, 5)) { ContentRangeSkew = 16 };
        net.CutsAt.Add(3000);
        var (d, _) = Open(net);
        Assert.True(d.Open());
        ReadAll(d, out var last);
        Assert.Equal(-1, last);
        Assert.Equal(DownloadError.BadContentRange, d.Error);
    }

    [Theory]
    [InlineData("W/\"v1\"")]
    [InlineData(null)]
    public void WithoutAStrongETag_ADropIsNotResumed(string? etag)
    {
        var net = new ScriptedNetwork(AgentRig.Image(10_000, 6), etag!);
        net.CutsAt.Add(3000);
        var (d, _) = Open(net);
        Assert.True(d.Open());
        ReadAll(d, out _);
        Assert.Equal(DownloadError.NotResumable, d.Error);
        Assert.Single(net.Requests);
    }

    [Fact]
    public void ADeadNetwork_BacksOffExponentially_AndGivesUp()
    {
        var net = new ScriptedNetwork(AgentRig.Image(1000, 7)) { Unreachable = int.MaxValue };
        var (d, delay) = Open(net);
        Assert.False(d.Open());
        Assert.Equal(DownloadError.Unreachable, d.Error);
        Assert.Equal([500, 1000, 2000, 4000, 8000, 16000], delay.Waits);
        Assert.Equal(ResumableDownload.MaxFailuresInRow + 1, net.Requests.Count);
        Assert.Equal(-1, d.Read(new byte[10], 0, 10));
    }

    [Fact]
    public void ABusyServer_IsRetried_ThenServes()
    {
        var artifact = AgentRig.Image(5000, 8);
        var net = new ScriptedNetwork(artifact) { Busy = 2 };
        var (d, delay) = Open(net);
        Assert.True(d.Open());
        Assert.Equal(artifact, ReadAll(d, out _));
        Assert.Equal([500, 1000], delay.Waits);
    }

    [Fact]
    public void ALengthOtherThanAnnouncedAtCheckIn_IsRefusedBeforeReading()
    {
        var (d, _) = Open(new ScriptedNetwork(AgentRig.Image(5000, 9)), expected: 4999);
        Assert.False(d.Open());
        Assert.Equal(DownloadError.LengthMismatch, d.Error);
    }

    [Fact]
    public void AFlakyLinkThatAlwaysMakesProgress_IsStillBounded()
    {
        var net = new ScriptedNetwork(AgentRig.Image(100_000, 10));
        for (long c = 100; c < 100_000; c += 100) net.CutsAt.Add(c);
        var (d, _) = Open(net);
        Assert.True(d.Open());
        ReadAll(d, out var last);
        Assert.Equal(-1, last);
        Assert.Equal(DownloadError.Unreachable, d.Error);
        Assert.Equal(ResumableDownload.MaxReconnects, d.Reconnects);
    }
}

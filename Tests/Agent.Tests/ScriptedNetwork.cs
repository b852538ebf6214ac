using SecureOta.Agent.Update.Download;

namespace SecureOta.Agent.Tests;

/// <summary>
/// A network that serves one artifact the way a correct server does (RFC 9110 Range, ETag, If-Range)
/// unless told to drop and lie: connections cut at absolute offsets, unreachable attempts, busy
/// answers, a server that ignores ranges, an artifact replaced mid-download, wrong Content-Range.
/// Every request is recorded so tests can check exactly what the device asked for.
/// </summary>
public sealed class ScriptedNetwork(byte[] artifact, string etag = "\"v1\"") : IRangeHttp
{
    public byte[] Artifact { get; set; } = artifact;
    public string? ETag { get; set; } = etag;

    /// <summary>Absolute offsets at which a connection breaks (each used once).</summary>
    public SortedSet<long> CutsAt { get; } = [];

    /// <summary>The next N attempts fail to connect.</summary>
    public int Unreachable { get; set; }

    /// <summary>The next N attempts get 503.</summary>
    public int Busy { get; set; }

    /// <summary>Answers range requests with the whole artifact (200).</summary>
    public bool IgnoresRanges { get; set; }

    /// <summary>Answers range requests without honoring If-Range (a broken cache).</summary>
    public bool IgnoresIfRange { get; set; }

    /// <summary>Shifts the Content-Range start of a 206 by this many bytes (a lying proxy).</summary>
    public int ContentRangeSkew { get; set; }

    /// <summary>Each attempt's range start (0 = whole) and If-Range header.</summary>
    public List<(long From, string? IfRange)> Requests { get; } = [];

    /// <summary>Called after this many bytes of the artifact were served: replaces the artifact.</summary>
    public (long After, byte[] Artifact, string ETag)? ReplaceAt { get; set; }

    public HttpRangeResponse? Get(string url, long from, string? ifRange, string[] failure)
    {
        Requests.Add((from, ifRange));
        if (Unreachable > 0)
        {
            Unreachable--;
            failure[0] = "connection refused";
            return null;
        }
        if (Busy > 0)
        {
            Busy--;
            return new Body([], 0, 0, null) { Status = 503 };
        }

        bool ranged = from > 0 && !IgnoresRanges && (ifRange is null || ifRange == ETag || IgnoresIfRange);
        if (from > 0 && from >= Artifact.Length && ranged)
            return new Body([], 0, 0, null) { Status = 416 };
        long start = ranged ? from : 0;
        return new Body(Artifact, start, Artifact.Length, this)
        {
            Status = ranged ? 206 : 200,
            ContentLength = Artifact.Length - start,
            ETag = ETag,
            ContentRange = ranged ? $"bytes {start + ContentRangeSkew}-{Artifact.Length - 1}/{Artifact.Length}" : null,
        };
    }

    private sealed class Body(byte[] data, long position, long end, ScriptedNetwork? network) : HttpRangeResponse
    {
        private bool _closed;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_closed) throw new InvalidOperationException("read after close");
            if (position >= end) return 0;
            if (network is not null)
            {
                if (network.CutsAt.Count > 0 && network.CutsAt.Min <= position)
                {
                    network.CutsAt.Remove(network.CutsAt.Min);
                    return -1;
                }
                if (network.ReplaceAt is { } r && position >= r.After)
                {
                    network.Artifact = r.Artifact;
                    network.ETag = r.ETag;
                    network.ReplaceAt = null;
                    return -1;
                }
                long limit = end;
                if (network.CutsAt.Count > 0) limit = Math.Min(limit, network.CutsAt.Min);
                if (network.ReplaceAt is { } r2) limit = Math.Min(limit, Math.Max(r2.After, position + 1));
                count = (int)Math.Min(count, limit - position);
            }
            else count = (int)Math.Min(count, end - position);
            Array.Copy(data, position, buffer, offset, count);
            position += count;
            return count;
        }

        public override void Close() => _closed = true;
    }
}

/// <summary>Records back-off instead of sleeping.</summary>
public sealed class RecordingDelay : IDelay
{
    public List<int> Waits { get; } = [];

    public void SleepMilliseconds(int milliseconds) => Waits.Add(milliseconds);
}

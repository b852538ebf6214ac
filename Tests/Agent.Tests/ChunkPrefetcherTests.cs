using SecureOta.Agent.Update.Download;
using SecureOta.Agent.Update.Flow;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// Download while writing (ChunkPrefetcher): the chunks arrive in order and complete, the reader is never
/// more than one chunk ahead, a failing source ends the stream as a failure, and a source that stalls ends
/// it within the wait limit instead of hanging.
/// </summary>
public sealed class ChunkPrefetcherTests
{
    private const int Chunk = 4096;

    private static List<byte> ReadAll(ChunkPrefetcher p, out int last)
    {
        var got = new List<byte>();
        while (true)
        {
            last = p.Next(out var buffer);
            if (last <= 0) return got;
            got.AddRange(buffer.AsSpan(0, last).ToArray());
            p.Release();
        }
    }

    [Fact]
    public void TheChunks_ArriveInOrder_AndComplete()
    {
        var data = AgentRig.Image(10 * Chunk + 123, 3);
        var p = new ChunkPrefetcher(new MemorySource(data), data.Length, new byte[Chunk], new byte[Chunk], null, 10_000);
        p.Start();
        var got = ReadAll(p, out int last);
        p.Stop();
        Assert.Equal(0, last);
        Assert.Equal(data, got.ToArray());
    }

    [Fact]
    public void TheReader_StaysAtMostOneChunkAhead()
    {
        var source = new CountingSource(AgentRig.Image(20 * Chunk, 4));
        var p = new ChunkPrefetcher(source, 20 * Chunk, new byte[Chunk], new byte[Chunk], null, 10_000);
        p.Start();
        Assert.Equal(Chunk, p.Next(out _));
        Thread.Sleep(300); /* the reader has all the time it wants: it may fill the second buffer only */
        Assert.True(source.Served <= 2 * Chunk, $"served {source.Served} bytes with one chunk taken");
        p.Stop();
    }

    [Fact]
    public void AFailingSource_EndsTheStreamAsAFailure_WithItsReason()
    {
        var data = AgentRig.Image(8 * Chunk, 5);
        var p = new ChunkPrefetcher(new MemorySource(data, failAfter: 3 * Chunk + 10), data.Length, new byte[Chunk], new byte[Chunk], null, 10_000);
        p.Start();
        var got = ReadAll(p, out int last);
        p.Stop();
        Assert.Equal(-1, last);
        Assert.Equal(3 * Chunk, got.Count);
    }

    [Fact]
    public void AStalledSource_EndsWithinTheWaitLimit()
    {
        var gate = new ManualResetEventSlim(false);
        var p = new ChunkPrefetcher(new StallAfterSource(new byte[4 * Chunk], 0, gate), 4 * Chunk, new byte[Chunk], new byte[Chunk], null, 600);
        p.Start();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(-1, p.Next(out _));
        Assert.Equal((int)DownloadError.Stalled, p.FailureCode);
        Assert.InRange(watch.ElapsedMilliseconds, 500, 5_000);
        gate.Set(); /* the reader's read returns; Stop then ends it */
        p.Stop();
    }

    [Fact]
    public void AReaderStuckInARead_OutlivesStop_AndTheEngineWaitsForIt()
    {
        using var rig = new AgentRig();
        var image = AgentRig.Image(6 * Chunk, 9);
        var dataSet = rig.DataSet(image, 7, encrypt: true);
        var gate = new ManualResetEventSlim(false);
        var engine = rig.Engine();
        engine.DownloadWaitLimitMilliseconds = 400;
        var stuck = engine.Stage(new StallAfterSource(dataSet, 2 * Chunk, gate));
        Assert.Equal(UpdateFailure.Network, stuck.Failure); /* stalled: Next gave up, Stop gave up on the reader */

        // The reader is still in its read and may write into the engine's buffers: nothing starts.
        var refused = engine.Stage(new MemorySource(dataSet));
        Assert.Equal(UpdateFailure.Network, refused.Failure);
        Assert.Equal((int)DownloadError.Stalled, refused.Detail);
        Assert.Contains("still in a network read", refused.Message);
        Assert.Equal(-1, engine.HeldSequence());

        gate.Set(); /* the read returns; the reader ends */
        var deadline = DateTime.UtcNow.AddSeconds(10);
        UpdateOutcome again;
        while (!(again = engine.Stage(new MemorySource(dataSet))).IsOk && again.Message.Contains("still in a network read") && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Assert.True(again.IsOk, again.ToString());
        Assert.Equal(image, rig.StagedImage(image.Length));
    }

    // Serves its data, then blocks in the read that would go past `until` until the gate opens (then fails).
    private sealed class StallAfterSource(byte[] data, int until, ManualResetEventSlim gate) : IByteSource
    {
        private int _position;
        public long Length => data.Length;
        public string? Validator => null;
        public int FailureCode => 1;
        public string FailureMessage => "stalled";
        public bool SeekTo(long position) => false;
        public int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= until)
            {
                gate.Wait(30_000);
                Array.Fill(buffer, (byte)0xA5, offset, count); /* what a late read would leave in the buffer */
                return -1;
            }

            int n = Math.Min(count, until - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }
    }

    private sealed class CountingSource(byte[] data) : IByteSource
    {
        private int _position;
        public int Served => Volatile.Read(ref _position);
        public long Length => data.Length;
        public string? Validator => null;
        public int FailureCode => 0;
        public string FailureMessage => "";
        public bool SeekTo(long position) => false;
        public int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            Interlocked.Add(ref _position, n);
            return n;
        }
    }

}

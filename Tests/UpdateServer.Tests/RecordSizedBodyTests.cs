using System.Buffers;
using System.IO.Pipelines;
using SecureOta.UpdateServer.Artifacts;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// The cached-artifact body stream: every byte in order, in buffers of at most a TLS record, flushed at
/// least every 64 KiB, and it stops when the client is gone instead of buffering the rest.
/// </summary>
public sealed class RecordSizedBodyTests
{
    [Fact]
    public async Task OneLargeWrite_ArrivesWhole_InRecordSizedBuffers_FlushedEvery64KiB()
    {
        var recorder = new RecordingWriter();
        var data = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 31 + 7)).ToArray();

        await new RecordSizedBody(recorder).WriteAsync(data.AsMemory(5, data.Length - 5));

        Assert.Equal(data[5..], recorder.Written.ToArray());
        Assert.All(recorder.Advances, n => Assert.InRange(n, 1, RecordSizedBody.RecordBytes));
        Assert.Equal((data.Length - 5 + RecordSizedBody.RecordBytes - 1) / RecordSizedBody.RecordBytes, recorder.Advances.Count);
        Assert.All(recorder.UnflushedAtFlush, n => Assert.InRange(n, 1, RecordSizedBody.FlushBytes));
        Assert.Equal(0, recorder.Unflushed); /* the last piece is flushed too */
    }

    [Fact]
    public async Task AClientThatWentAway_StopsTheWrite()
    {
        var recorder = new RecordingWriter { CompleteAfterFlushes = 1 };

        await new RecordSizedBody(recorder).WriteAsync(new byte[1 << 20]);

        Assert.Equal(RecordSizedBody.FlushBytes, recorder.Written.Count); /* one flush's worth, not the megabyte */
    }

    // A PipeWriter that keeps what it is given and how, and can play a completed reader (the client gone).
    private sealed class RecordingWriter : PipeWriter
    {
        private byte[] _buffer = [];
        public List<byte> Written { get; } = [];
        public List<int> Advances { get; } = [];
        public List<int> UnflushedAtFlush { get; } = [];
        public int Unflushed { get; private set; }
        public int CompleteAfterFlushes { get; init; } = int.MaxValue;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer = new byte[Math.Max(sizeHint, 1) + 100]; /* more than asked: the stream must cap it */
        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override void Advance(int bytes)
        {
            Written.AddRange(_buffer.AsSpan(0, bytes).ToArray());
            Advances.Add(bytes);
            Unflushed += bytes;
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            UnflushedAtFlush.Add(Unflushed);
            Unflushed = 0;
            return ValueTask.FromResult(new FlushResult(false, UnflushedAtFlush.Count >= CompleteAfterFlushes));
        }

        public override void CancelPendingFlush() { }
        public override void Complete(Exception? exception = null) { }
    }
}

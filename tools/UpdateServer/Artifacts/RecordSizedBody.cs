using System.IO.Pipelines;

namespace SecureOta.UpdateServer.Artifacts;

/// <summary>
/// The response body for an artifact served from memory: hands Kestrel the bytes in 16 KiB buffers
/// (PipeWriter.GetMemory with that size hint) instead of letting one large write be cut into its 4 KiB pool
/// blocks. Over HTTPS each buffer Kestrel passes on is one SslStream write, so the block size becomes the
/// TLS record size and the number of sends (dotnet/aspnetcore#30545: HTTP/1.1 output leaves in 4 KiB
/// pieces); 16 KiB is TLS's largest record (RFC 8446 section 5.1), the size nginx writes. It flushes every
/// 64 KiB, Kestrel's default response buffer limit, so memory per download stays bounded.
/// </summary>
public sealed class RecordSizedBody(PipeWriter writer) : Stream
{
    /// <summary>RFC 8446 section 5.1 (and RFC 5246 6.2.1): a TLS record carries at most 2^14 bytes.</summary>
    public const int RecordBytes = 16 * 1024;

    /// <summary>Kestrel's default MaxResponseBufferSize: flushed at least this often.</summary>
    public const int FlushBytes = 64 * 1024;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int unflushed = 0;
        while (!buffer.IsEmpty)
        {
            var memory = writer.GetMemory(RecordBytes);
            int n = Math.Min(Math.Min(memory.Length, RecordBytes), buffer.Length);
            buffer[..n].CopyTo(memory);
            writer.Advance(n);
            buffer = buffer[n..];
            unflushed += n;
            if (unflushed < FlushBytes && !buffer.IsEmpty) continue;
            unflushed = 0;
            var flushed = await writer.FlushAsync(cancellationToken);
            // The client went away or the response was aborted: nothing more to send.
            if (flushed.IsCanceled || flushed.IsCompleted) return;
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override async Task FlushAsync(CancellationToken cancellationToken) => await writer.FlushAsync(cancellationToken);

    public override void Flush() => FlushAsync().GetAwaiter().GetResult();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

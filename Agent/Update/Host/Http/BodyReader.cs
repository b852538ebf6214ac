#nullable enable
using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Threading;

namespace SecureOta.Agent.Update.Host.Http;

/// <summary>
/// Reads a response body with the bounds the device has (issue 17, A1): every read must bring data
/// within the read time-out (the device's HttpWebRequest.ReadWriteTimeout), the whole body must arrive
/// before the deadline (a server that drips a byte at a time cannot hold the caller), and the caller's
/// stop token ends it at once. A read that times out returns -1, as a dropped connection does.
/// </summary>
public sealed class BodyReader(Stream body, TimeSpan readTimeout, TimeSpan deadline, CancellationToken stop)
{
    private readonly Stopwatch _age = Stopwatch.StartNew();

    public bool TimedOut { get; private set; }

    public int Read(byte[] buffer, int offset, int count)
    {
        var left = deadline - _age.Elapsed;
        if (left <= TimeSpan.Zero || stop.IsCancellationRequested)
        {
            TimedOut = true;
            return -1;
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        cts.CancelAfter(left < readTimeout ? left : readTimeout);
        try
        {
            return body.ReadAsync(buffer.AsMemory(offset, count), cts.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            TimedOut = true;
            return -1;
        }
        catch (Exception e) when (e is IOException or HttpRequestException or ObjectDisposedException)
        {
            return -1;
        }
    }
}

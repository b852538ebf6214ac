using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SecureOta.Agent.Update.Host.Http;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// Issue 17, A1 and A2: the host HTTP seams against servers that stall, drip or redirect where no client
/// may go, over a raw loopback socket so the misbehaviour is exactly the attack run's. Before: a stalled
/// or dripping body kept the caller forever, and a redirect to file:// threw out of HttpClientRange.
/// </summary>
public sealed class HostHttpBoundsTests : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(60) };

    public HostHttpBoundsTests() => _listener.Start();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _client.Dispose();
    }

    private string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/ds";

    // Serves one connection: reads the request, writes the head, then runs body(stream).
    private void Serve(string head, Func<NetworkStream, Task> body) => _ = Task.Run(async () =>
    {
        using var socket = await _listener.AcceptTcpClientAsync(_stop.Token);
        using var stream = socket.GetStream();
        var buffer = new byte[4096];
        await stream.ReadAsync(buffer, _stop.Token);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
        try { await body(stream); } catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
    });

    [Fact]
    public void ABodyThatStalls_EndsTheReadWithinTheReadTimeout()
    {
        Serve("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", async s => { await s.WriteAsync(new byte[10]); await Task.Delay(30_000, _stop.Token); });
        var http = new HttpClientRange(_client, readTimeout: TimeSpan.FromSeconds(1), bodyDeadline: TimeSpan.FromSeconds(20));
        var failure = new string[1];
        var response = http.Get(Url, 0, null, failure);
        Assert.NotNull(response);
        var clock = Stopwatch.StartNew();
        var buffer = new byte[4096];
        int n, total = 0;
        while ((n = response!.Read(buffer, 0, buffer.Length)) > 0) total += n;
        Assert.Equal(-1, n);
        Assert.Equal(10, total);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the stalled read took {clock.Elapsed}");
    }

    [Fact]
    public void ABodyThatDrips_EndsAtTheDeadline()
    {
        Serve("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", async s =>
        {
            for (int i = 0; i < 1000; i++) { await s.WriteAsync(new byte[1], _stop.Token); await Task.Delay(100, _stop.Token); }
        });
        // The read time-out also bounds the response headers (HttpClientRange.Get): 5 s, so a loaded CI
        // machine's slow accept cannot fail the GET (seen once with 1 s); a byte every 100 ms never reaches it,
        // so the body deadline is what ends the drip.
        var http = new HttpClientRange(_client, readTimeout: TimeSpan.FromSeconds(5), bodyDeadline: TimeSpan.FromSeconds(2));
        var failure = new string[1];
        var response = http.Get(Url, 0, null, failure);
        Assert.True(response is not null, failure[0]);
        var clock = Stopwatch.StartNew();
        var buffer = new byte[4096];
        int n;
        while ((n = response!.Read(buffer, 0, buffer.Length)) > 0) { }
        Assert.Equal(-1, n);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"the dripping body held the reader {clock.Elapsed}");
    }

    [Fact]
    public void TheCallersStop_EndsAStalledReadAtOnce()
    {
        Serve("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", async s => await Task.Delay(30_000, _stop.Token));
        using var stop = new CancellationTokenSource();
        var http = new HttpClientRange(_client, readTimeout: TimeSpan.FromSeconds(20), bodyDeadline: TimeSpan.FromSeconds(60), stop: stop.Token);
        var response = http.Get(Url, 0, null, new string[1]);
        stop.CancelAfter(500);
        var clock = Stopwatch.StartNew();
        Assert.Equal(-1, response!.Read(new byte[16], 0, 16));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the stop took {clock.Elapsed}");
    }

    [Fact]
    public void ARedirectToAFileUrl_IsAFailure_NotAnException()
    {
        Serve("HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n", _ => Task.CompletedTask);
        var failure = new string[1];
        var response = new HttpClientRange(_client).Get(Url, 0, null, failure);
        // Either no response with a reason, or the 302 itself: never the file, never an exception.
        if (response is null) Assert.False(string.IsNullOrEmpty(failure[0]));
        else { Assert.Equal(302, response.Status); response.Close(); }
    }

    [Fact]
    public void AFileUrl_IsRefusedBeforeAnyRequest()
    {
        var failure = new string[1];
        Assert.Null(new HttpClientRange(_client).Get("file:///etc/passwd", 0, null, failure));
        Assert.Contains("not an http(s) URL", failure[0]);
        Assert.Equal(-1, new HttpClientJson(_client).Post("file:///etc/passwd", null, "{}", new string[1], failure));
    }

    [Fact]
    public void AJsonAnswerThatStalls_IsAFailureWithinTheReadTimeout()
    {
        Serve("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"a\":", async s => await Task.Delay(30_000, _stop.Token));
        var failure = new string[1];
        var clock = Stopwatch.StartNew();
        Assert.Equal(-1, new HttpClientJson(_client, readTimeout: TimeSpan.FromSeconds(1)).Post(Url, null, "{}", new string[1], failure));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains("in time", failure[0]);
    }
}

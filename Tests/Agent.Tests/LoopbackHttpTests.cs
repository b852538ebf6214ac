using System.Net;
using System.Net.Sockets;
using System.Text;
using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Download;
using SecureOta.Agent.Update.Host.Http;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The host HTTP adapters over a real socket: a loopback HTTP server (HttpListener) that honors
/// Range and If-Range (RFC 9110) and can cut a response mid-body, so the headers the adapters send
/// and parse are the real ones, not a test double's.
/// </summary>
public sealed class LoopbackHttpTests : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _base;
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(20) };
    private byte[] _artifact = AgentRig.Image(200_000, 50);
    private string _etag = "\"a1\"";
    private int _cutNextAt = -1;
    private readonly List<string> _log = [];
    private readonly Task _loop;

    public LoopbackHttpTests()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _base = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_base);
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _client.Dispose();
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); } catch { return; }
            var req = ctx.Request;
            var res = ctx.Response;
            lock (_log) _log.Add($"{req.HttpMethod} {req.Url!.AbsolutePath} range={req.Headers["Range"]} if-range={req.Headers["If-Range"]} auth={req.Headers["Authorization"]}");
            if (req.HttpMethod == "POST")
            {
                var body = new StreamReader(req.InputStream).ReadToEnd();
                var answer = Encoding.UTF8.GetBytes("{\"echo\":" + JsonText.Quote(body) + "}");
                res.StatusCode = 200;
                res.ContentType = "application/json";
                res.OutputStream.Write(answer);
                res.Close();
                continue;
            }
            long start = 0;
            var range = req.Headers["Range"];
            var ifRange = req.Headers["If-Range"];
            if (range is not null && range.StartsWith("bytes=") && range.EndsWith('-') && (ifRange is null || ifRange == _etag))
                start = long.Parse(range[6..^1]);
            res.Headers["ETag"] = _etag;
            res.StatusCode = start > 0 ? 206 : 200;
            if (start > 0) res.Headers["Content-Range"] = $"bytes {start}-{_artifact.Length - 1}/{_artifact.Length}";
            res.ContentLength64 = _artifact.Length - start;
            try
            {
                if (_cutNextAt >= 0)
                {
                    int cut = _cutNextAt;
                    _cutNextAt = -1;
                    res.OutputStream.Write(_artifact, (int)start, cut - (int)start);
                    res.OutputStream.Flush();
                    res.Abort(); // the connection drops mid-body
                    continue;
                }
                res.OutputStream.Write(_artifact, (int)start, _artifact.Length - (int)start);
                res.Close();
            }
            catch (HttpListenerException) { }
        }
    }

    private byte[] Download(out ResumableDownload d)
    {
        d = new ResumableDownload(new HttpClientRange(_client), _base + "ds", _artifact.Length, new RecordingDelay());
        Assert.True(d.Open(), d.FailureMessage);
        var result = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = d.Read(buffer, 0, buffer.Length)) > 0) result.Write(buffer, 0, n);
        d.Close();
        return result.ToArray();
    }

    [Fact]
    public void ADownloadCutOnTheWire_ResumesWithRangeAndIfRange()
    {
        _cutNextAt = 70_000;
        var bytes = Download(out var d);
        Assert.Equal(DownloadError.None, d.Error);
        Assert.Equal(_artifact, bytes);
        Assert.Equal(1, d.Reconnects);
        lock (_log) Assert.Contains(_log, l => l.StartsWith("GET /ds range=bytes=") && l.Contains("if-range=\"a1\""));
    }

    [Fact]
    public void AnArtifactReplacedOnTheServer_IsNotSpliced()
    {
        _cutNextAt = 50_000;
        var d = new ResumableDownload(new HttpClientRange(_client), _base + "ds", _artifact.Length, new RecordingDelay());
        Assert.True(d.Open());
        var buffer = new byte[4096];
        long got = 0;
        int n;
        bool replaced = false;
        while ((n = d.Read(buffer, 0, buffer.Length)) > 0)
        {
            got += n;
            if (!replaced && got >= 40_000) { _artifact = AgentRig.Image(200_000, 51); _etag = "\"a2\""; replaced = true; }
        }
        Assert.Equal(-1, n);
        Assert.Equal(DownloadError.RangeRefused, d.Error);
        d.Close();
    }

    [Fact]
    public void JsonPosts_CarryTheBearerToken_AndReturnTheAnswer()
    {
        var http = new HttpClientJson(_client);
        var body = new string[1];
        var failure = new string[1];
        Assert.Equal(200, http.Post(_base + "api/v1/devices/d1/status", "tok123", "{\"state\":\"idle\"}", body, failure));
        Assert.Equal("{\"state\":\"idle\"}", Json.Parse(body[0])!.String("echo"));
        lock (_log) Assert.Contains(_log, l => l.StartsWith("POST /api/v1/devices/d1/status") && l.EndsWith("auth=Bearer tok123"));
    }

    [Fact]
    public void NoServer_IsAFailureWithAReason_NotAnException()
    {
        _listener.Stop();
        var failure = new string[1];
        Assert.Equal(-1, new HttpClientJson(_client).Post(_base + "x", null, "{}", new string[1], failure));
        Assert.False(string.IsNullOrEmpty(failure[0]));
        Assert.Null(new HttpClientRange(_client).Get(_base + "ds", 0, null, failure));
    }
}

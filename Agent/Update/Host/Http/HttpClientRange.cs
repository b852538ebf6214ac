#nullable enable
using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using System.Net.Http.Headers;
using SecureOta.Agent.Update.Download;

namespace SecureOta.Agent.Update.Host.Http;

/// <summary>
/// The host's HTTP seam (device simulator, tests): .NET's HttpClient, streaming the body
/// (ResponseHeadersRead) so memory stays bounded like on the device. Synchronous because the device
/// API is; network exceptions become "no response" with the reason, as on the device. Headers must come
/// within the read time-out, each body read too, and the whole body before the deadline (BodyReader);
/// stop ends everything at once. A URL or redirect the client cannot follow (file://, A2) is a failure,
/// never an exception.
/// </summary>
public sealed class HttpClientRange(HttpClient client, TimeSpan? readTimeout = null, TimeSpan? bodyDeadline = null, CancellationToken stop = default) : IRangeHttp
{
    /// <summary>The device's read time-out (Agent/Update/Esp32/HttpWebRequestRange.TimeoutMilliseconds).</summary>
    public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(15);

    /// <summary>A whole response body: 10 minutes (a 2 MiB image at 3.5 KiB/s).</summary>
    public static readonly TimeSpan DefaultBodyDeadline = TimeSpan.FromMinutes(10);

    private readonly TimeSpan _readTimeout = readTimeout ?? DefaultReadTimeout;
    private readonly TimeSpan _deadline = bodyDeadline ?? DefaultBodyDeadline;

    public HttpRangeResponse? Get(string url, long from, string? ifRange, string[] failure)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            failure[0] = $"not an http(s) URL: {url}";
            return null;
        }
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (from > 0)
        {
            request.Headers.Range = new RangeHeaderValue(from, null);
            if (ifRange is not null) request.Headers.TryAddWithoutValidation("If-Range", ifRange);
        }

        using var headers = CancellationTokenSource.CreateLinkedTokenSource(stop);
        headers.CancelAfter(_readTimeout);
        try
        {
            var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
            return new Response(response, new BodyReader(response.Content.ReadAsStream(), _readTimeout, _deadline, stop));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or OperationCanceledException
                                   or UriFormatException or InvalidOperationException or NotSupportedException)
        {
            request.Dispose();
            failure[0] = e is OperationCanceledException && !stop.IsCancellationRequested ? $"no response headers within {_readTimeout.TotalSeconds:0} s" : e.Message;
            return null;
        }
    }

    private sealed class Response : HttpRangeResponse
    {
        private readonly HttpResponseMessage _response;
        private readonly BodyReader _body;
        private bool _closed;

        public Response(HttpResponseMessage response, BodyReader body)
        {
            _response = response;
            Status = (int)response.StatusCode;
            ContentLength = response.Content.Headers.ContentLength ?? -1;
            ETag = response.Headers.ETag?.ToString();
            ContentRange = response.Content.Headers.TryGetValues("Content-Range", out var values) ? string.Join(",", values) : null;
            _body = body;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = _body.Read(buffer, offset, count);
            if (n < 0) Close(); // a stalled or dripping connection is torn down, not left open
            return n;
        }

        public override void Close()
        {
            if (_closed) return;
            _closed = true;
            _response.Dispose();
        }
    }
}

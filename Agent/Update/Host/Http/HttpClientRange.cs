#nullable enable
using System;
using System.IO;
using System.Net.Http;
using System.Threading.Tasks;
using System.Net.Http.Headers;
using SecureOta.Agent.Update.Download;

namespace SecureOta.Agent.Update.Host.Http;

/// <summary>
/// The host's HTTP seam (device simulator, tests): .NET's HttpClient, streaming the body
/// (ResponseHeadersRead) so memory stays bounded like on the device. Synchronous because the device
/// API is; network exceptions become "no response" with the reason, as on the device.
/// </summary>
public sealed class HttpClientRange(HttpClient client) : IRangeHttp
{
    public HttpRangeResponse? Get(string url, long from, string? ifRange, string[] failure)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (from > 0)
        {
            request.Headers.Range = new RangeHeaderValue(from, null);
            if (ifRange is not null) request.Headers.TryAddWithoutValidation("If-Range", ifRange);
        }

        try
        {
            var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
            return new Response(response);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or OperationCanceledException)
        {
            request.Dispose();
            failure[0] = e.Message;
            return null;
        }
    }

    private sealed class Response : HttpRangeResponse
    {
        private readonly HttpResponseMessage _response;
        private readonly Stream _body;
        private bool _closed;

        public Response(HttpResponseMessage response)
        {
            _response = response;
            Status = (int)response.StatusCode;
            ContentLength = response.Content.Headers.ContentLength ?? -1;
            ETag = response.Headers.ETag?.ToString();
            ContentRange = response.Content.Headers.TryGetValues("Content-Range", out var values) ? string.Join(",", values) : null;
            _body = response.Content.ReadAsStream();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return _body.Read(buffer, offset, count);
            }
            catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
            {
                return -1;
            }
        }

        public override void Close()
        {
            if (_closed) return;
            _closed = true;
            _body.Dispose();
            _response.Dispose();
        }
    }
}

#nullable enable
using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SecureOta.Agent.Update.Api;

namespace SecureOta.Agent.Update.Host.Http;

/// <summary>
/// The host's device-API seam (device simulator, tests): a JSON POST over HttpClient with the same
/// contract as the device's HttpWebRequestJson: the answer is capped at Json.MaxDocument characters
/// and network exceptions become -1 with the reason. The answer must come within the read time-out per
/// read and a 30 s deadline in all (BodyReader); stop ends it at once.
/// </summary>
public sealed class HttpClientJson(HttpClient client, TimeSpan? readTimeout = null, CancellationToken stop = default) : IJsonHttp
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly TimeSpan _readTimeout = readTimeout ?? HttpClientRange.DefaultReadTimeout;

    public int Post(string url, string? bearer, string json, string[] responseBody, string[] failure)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            failure[0] = $"not an http(s) URL: {url}";
            return -1;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        try
        {
            using var headers = CancellationTokenSource.CreateLinkedTokenSource(stop);
            headers.CancelAfter(_readTimeout);
            using var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
            using var stream = response.Content.ReadAsStream();
            var body = new BodyReader(stream, _readTimeout, Deadline, stop);
            var buffer = new byte[Json.MaxDocument + 1];
            int total = 0, n = 0;
            while (total < buffer.Length && (n = body.Read(buffer, total, buffer.Length - total)) > 0) total += n;
            if (n < 0)
            {
                failure[0] = body.TimedOut ? $"the answer from {url} did not arrive in time" : $"the connection to {url} broke";
                return -1;
            }
            if (total > Json.MaxDocument)
            {
                failure[0] = $"the answer from {url} is larger than {Json.MaxDocument} bytes";
                return -1;
            }
            responseBody[0] = Encoding.UTF8.GetString(buffer, 0, total);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or OperationCanceledException
                                   or UriFormatException or InvalidOperationException or NotSupportedException)
        {
            failure[0] = e is OperationCanceledException && !stop.IsCancellationRequested ? $"no answer from {url} in time" : e.Message;
            return -1;
        }
    }
}

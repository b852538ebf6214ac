#nullable enable
using System;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using SecureOta.Agent.Update.Api;

namespace SecureOta.Agent.Update.Host.Http;

/// <summary>
/// The host's device-API seam (device simulator, tests): a JSON POST over HttpClient with the same
/// contract as the device's HttpWebRequestJson: the answer is capped at Json.MaxDocument characters
/// and network exceptions become -1 with the reason.
/// </summary>
public sealed class HttpClientJson(HttpClient client) : IJsonHttp
{
    public int Post(string url, string? bearer, string json, string[] responseBody, string[] failure)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        try
        {
            using var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
            using var body = response.Content.ReadAsStream();
            var buffer = new byte[Json.MaxDocument + 1];
            int total = 0, n;
            while (total < buffer.Length && (n = body.Read(buffer, total, buffer.Length - total)) > 0) total += n;
            if (total > Json.MaxDocument)
            {
                failure[0] = $"the answer from {url} is larger than {Json.MaxDocument} bytes";
                return -1;
            }
            responseBody[0] = Encoding.UTF8.GetString(buffer, 0, total);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or OperationCanceledException)
        {
            failure[0] = e.Message;
            return -1;
        }
    }
}

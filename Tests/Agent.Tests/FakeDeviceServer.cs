using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecureOta.Agent.Update.Api;
using SecureOta.Core.Host.Crypto;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The server side of docs/device-api.md, as strict as the real one must be: single-use nonces, the
/// check-in signature verified against the registered device key, status only with that device's
/// token. It offers at most one data set, served by a ScriptedNetwork. With ChannelKey it signs a
/// freshness statement over the board's channel nonce into every check-in answer (section 3a).
/// </summary>
public sealed class FakeDeviceServer : IJsonHttp
{
    public const string Base = "http://server";
    private readonly Dictionary<string, ECDsa> _devices = [];
    private readonly HashSet<string> _nonces = [];
    private readonly Dictionary<string, string> _tokens = [];

    public bool Down { get; set; }
    public (string Url, long Size, long Sequence)? Offer { get; set; }
    public List<(string Device, string State, long Sequence, int Failure, int Code, string Message)> Reports { get; } = [];
    public List<(string Device, long Sequence, string State)> CheckIns { get; } = [];

    /// <summary>The offer's update.install member as JSON (e.g. {"policy":"on-consent"}), or null for none.</summary>
    public string? InstallJson { get; set; }

    /// <summary>The channel key that signs freshness statements; null: no statements.</summary>
    public ECDsa? ChannelKey { get; set; }

    /// <summary>What the statements announce as the newest release of the class, and the server's time (UTC seconds).</summary>
    public long NewestSequence { get; set; }
    public long ServerTime { get; set; } = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public void Register(string deviceId, byte[] deviceCertificateDer) =>
        _devices[deviceId] = X509CertificateLoader.LoadCertificate(deviceCertificateDer).GetECDsaPublicKey()!;

    public int Post(string url, string? bearer, string json, string[] responseBody, string[] failure)
    {
        if (Down)
        {
            failure[0] = "connection refused";
            return -1;
        }
        var parts = url[(Base + DeviceApi.Prefix).Length..].Split('/');
        var (device, action) = (parts[0], parts[1]);
        using var doc = JsonDocument.Parse(json);
        var body = doc.RootElement;
        switch (action)
        {
            case "nonce":
                var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
                _nonces.Add(nonce);
                responseBody[0] = $"{{\"nonce\":\"{nonce}\",\"expiresIn\":60}}";
                return 200;
            case "checkin":
                var n = body.GetProperty("nonce").GetString()!;
                var sequence = body.GetProperty("sequence").GetInt64();
                if (!_nonces.Remove(n) || !_devices.TryGetValue(device, out var key)) return 401;
                using (var sha = new DotNetSha256())
                {
                    var digest = ServerClient.CheckInDigest(sha, device, Convert.FromHexString(n), sequence);
                    if (!key.VerifyHash(digest, Convert.FromHexString(body.GetProperty("signature").GetString()!))) return 401;
                }
                CheckIns.Add((device, sequence, body.GetProperty("state").GetString()!));
                var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
                _tokens[token] = device;
                var install = InstallJson is null ? "" : ",\"install\":" + InstallJson;
                var update = Offer is { } o && o.Sequence > sequence
                    ? $"{{\"url\":\"{o.Url}\",\"size\":{o.Size},\"sequence\":{o.Sequence},\"version\":\"1.{o.Sequence}.0\"{install}}}" : "null";
                responseBody[0] = $"{{\"token\":\"{token}\",\"pollSeconds\":60,\"update\":{update}{Freshness(device, body)}}}";
                return 200;
            case "status":
                if (bearer is null || !_tokens.TryGetValue(bearer, out var owner) || owner != device) return 401;
                Reports.Add((device, body.GetProperty("state").GetString()!, body.GetProperty("sequence").GetInt64(),
                    body.GetProperty("failure").GetInt32(), body.GetProperty("code").GetInt32(), body.GetProperty("message").GetString()!));
                return 204;
            default:
                return 404;
        }
    }

    private string Freshness(string device, JsonElement body)
    {
        if (ChannelKey is null || !body.TryGetProperty("channelNonce", out var n)) return "";
        var statement = new FreshnessStatement { Nonce = Convert.FromHexString(n.GetString()!), DeviceId = device, NewestSequence = NewestSequence, ServerTime = ServerTime }.Encode();
        return $",\"freshness\":{{\"payload\":\"{Convert.ToHexStringLower(statement)}\",\"signature\":\"{Convert.ToHexStringLower(DetachedSign1.Sign(ChannelKey, statement))}\"}}";
    }
}

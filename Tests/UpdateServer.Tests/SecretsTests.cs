using System.Net;
using System.Net.Http.Headers;
using System.Text;
using SecureOta.Agent.Tests;
using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Flow;
using SecureOta.Agent.Update.Host.Http;
using SecureOta.ChipEmulator;
using SecureOta.Core.Crypto;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// Issue 15, "structured logs with no secret in them": the published update-server (--log-format json) runs a whole update (registration,
/// upload, rollout, a device's chip-signed check-ins, its reports) and then neither its log nor any file
/// in its data directory holds the admin token, a session token it issued, or any private key.
/// </summary>
public sealed class SecretsTests : IDisposable
{
    private const string AdminToken = "the-admin-token-that-must-not-leak-0123";
    private readonly string _dir = Directory.CreateTempSubdirectory("server-secrets-").FullName;
    private readonly AgentRig _rig = new();

    public void Dispose()
    {
        _rig.Dispose();
        Directory.Delete(_dir, true);
    }

    // The device's JSON seam, remembering every bearer token it was handed (the session tokens).
    private sealed class RecordingJson(IJsonHttp inner, List<string> bearers) : IJsonHttp
    {
        public int Post(string url, string bearer, string json, string[] responseBody, string[] failure)
        {
            if (bearer is not null) lock (bearers) bearers.Add(bearer);
            return inner.Post(url, bearer, json, responseBody, failure);
        }
    }

    [Fact]
    public async Task AfterAWholeUpdate_NeitherTheLogNorTheDataDirectoryHoldsASecret()
    {
        var pem = Path.Combine(_dir, "vendor.pub.pem");
        File.WriteAllText(pem, _rig.VendorKey.ExportSubjectPublicKeyInfoPem());
        var data = Path.Combine(_dir, "data");
        var log = new StringBuilder();
        using var server = ServerCommand.Start(["--data", data, "--urls", "http://127.0.0.1:0", "--vendor-key", pem, "--log-format", "json"],
            new Dictionary<string, string> { ["UPDATE_SERVER_ADMIN_TOKEN"] = AdminToken, ["Logging__LogLevel__Default"] = "Debug", ["Logging__LogLevel__Microsoft.AspNetCore"] = "Debug" });
        var bearers = new List<string>();
        try
        {
            var url = await ServerCommand.ListeningUrl(server, "http", log);
            using var admin = new HttpClient { BaseAddress = new Uri(url) };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
            var certificate = Convert.ToBase64String(_rig.ChipState.Objects[ChipState.OidDeviceCert].Data);
            (await admin.PostAsJsonAsync("/api/v1/admin/devices", new { id = "dev-1", classId = Convert.ToHexString(_rig.ClassId), certificate })).EnsureSuccessStatusCode();
            var up = await admin.PostAsync("/api/v1/admin/datasets", new ByteArrayContent(_rig.DataSet(AgentRig.Image(60_000, 5), 3, encrypt: true)));
            Assert.Equal(HttpStatusCode.Created, up.StatusCode);
            var digest = System.Text.Json.JsonDocument.Parse(await up.Content.ReadAsStringAsync()).RootElement.GetProperty("digest").GetString();
            (await admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest })).EnsureSuccessStatusCode();
            // A wrong admin token is logged as nothing but a 401.
            using (var wrong = new HttpClient { BaseAddress = new Uri(url) })
            {
                wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "a-wrong-admin-token-guess-777");
                Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/v1/admin/devices")).StatusCode);
            }

            var boot = new BootSim(_rig, Directory.CreateDirectory(Path.Combine(_dir, "boot")).FullName);
            boot.Configure(0);
            using var device = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            UpdateAgent Agent(string version) => new(new ServerClient(new RecordingJson(new HttpClientJson(device), bearers), url, "dev-1", _rig.Driver, new Sha256()),
                _rig.Engine(), new HttpClientRange(device), new RecordingDelay(), new RebootIntoBootSim(boot), version);
            Assert.Equal("staged sequence 3, rebooted", await Task.Run(() => Agent("1.0.0").RunOnce()));
            Assert.Equal("confirmed sequence 3", await Task.Run(() => Agent("1.3.0").RunOnce()));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit(10_000);
        }

        Assert.NotEmpty(bearers);
        var secrets = new[] { AdminToken, "a-wrong-admin-token-guess-777" }.Concat(bearers.Distinct()).ToList();
        string logText;
        lock (log) logText = log.ToString();
        Assert.Contains("Now listening on", logText); // the log was captured
        Assert.Contains("/api/v1/devices/dev-1/checkin", logText); // with ASP.NET Core's request lines at Debug
        // Structured: every log line is one JSON object with a level, a category and a message.
        var entries = logText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith('{')).ToList();
        Assert.True(entries.Count > 10, $"only {entries.Count} JSON log lines");
        foreach (var entry in entries)
        {
            using var json = System.Text.Json.JsonDocument.Parse(entry);
            Assert.True(json.RootElement.TryGetProperty("LogLevel", out _) && json.RootElement.TryGetProperty("Category", out _) && json.RootElement.TryGetProperty("Message", out _), entry);
        }
        var places = new List<(string Where, string Text)> { ("the server's log", logText) };
        foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
            places.Add((file, Encoding.Latin1.GetString(File.ReadAllBytes(file))));
        foreach (var (where, text) in places)
        {
            foreach (var secret in secrets)
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{where} contains a secret ({secret[..6]}…)");
            Assert.DoesNotContain("PRIVATE KEY", text);
        }
    }
}

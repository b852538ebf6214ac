using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecureOta.Agent.Update.Api;
using SecureOta.Core.Host.Crypto;

namespace SecureOta.Bench;

/// <summary>
/// "One process serves thousands of devices" (issue 7), measured: 2000 registered devices, each with
/// its own P-256 key, check in at once through 64 connections (nonce, then the signed check-in the
/// server verifies against the device's certificate, with its database writes). The reference in the
/// same run is the same devices asking only for a nonce (the cheapest device request), so the ratio
/// is what signature checking and state keeping cost. Device-side signing happens before the clock
/// starts: the server is what is measured.
/// </summary>
public static class CheckInLoadBench
{
    private const int Devices = 2000, Connections = 64;

    public static IEnumerable<BenchRow> Run()
    {
        using var vendor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var server = new ServerProcess(vendor.ExportSubjectPublicKeyInfoPem(), "--device-rate-limit", "1000");
        var keys = new ECDsa[Devices];
        var certificates = new string[Devices];
        var classId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        Parallel.For(0, Devices, i =>
        {
            keys[i] = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var cert = new CertificateRequest($"CN=dev-{i}", keys[i], HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            certificates[i] = Convert.ToBase64String(cert.RawData);
        });
        _ = Rate(server.Url, async (_, i) =>
        {
            using var r = await server.Admin.PostAsJsonAsync("/api/v1/admin/devices", new { id = $"dev-{i}", classId, certificate = certificates[i] });
            return r.IsSuccessStatusCode;
        });

        var (nonceRate, nonceP99) = Rate(server.Url, async (http, i) => (await Nonce(http, server.Url, i)).Length == 64);
        // Nonces fetched and check-ins signed up front, so the timed part is the server's check-in work.
        var bodies = new string[Devices];
        _ = Rate(server.Url, async (http, i) =>
        {
            var nonce = await Nonce(http, server.Url, i);
            using var sha = new DotNetSha256();
            var signature = keys[i].SignHash(ServerClient.CheckInDigest(sha, $"dev-{i}", Convert.FromHexString(nonce), 0));
            bodies[i] = JsonSerializer.Serialize(new { nonce, signature = Convert.ToHexString(signature).ToLowerInvariant(), sequence = 0, version = "1.0.0", state = "idle" });
            return true;
        });
        var (checkInRate, checkInP99) = Rate(server.Url, async (http, i) =>
        {
            using var r = await http.PostAsync($"{server.Url}/api/v1/devices/dev-{i}/checkin", new StringContent(bodies[i], System.Text.Encoding.UTF8, "application/json"));
            return r.IsSuccessStatusCode;
        });
        foreach (var k in keys) k.Dispose();
        yield return new BenchRow("server", $"{Devices} dev check in", "check-ins/s", checkInRate, "nonce requests, same devices", nonceRate);
        // The latency a board sees when the whole fleet checks in at once (64 requests in flight).
        yield return new BenchRow("server", $"{Devices} dev check in", "p99 ms", checkInP99, "nonce requests p99 ms", nonceP99);
    }

    private static async Task<string> Nonce(HttpClient http, string url, int device)
    {
        using var r = await http.PostAsync($"{url}/api/v1/devices/dev-{device}/nonce", null);
        r.EnsureSuccessStatusCode();
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("nonce").GetString()!;
    }

    // Requests per second of one call per device, through a fixed number of connections, and the 99th
    // percentile of the calls' latencies in milliseconds.
    private static (double Rate, double P99) Rate(string url, Func<HttpClient, int, Task<bool>> call)
    {
        int next = -1, failed = 0;
        var latencies = new double[Devices];
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Connections).Select(_ => Task.Run(async () =>
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 });
            int i;
            while ((i = Interlocked.Increment(ref next)) < Devices)
            {
                long started = Stopwatch.GetTimestamp();
                if (!await call(http, i)) Interlocked.Increment(ref failed);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })).ToArray();
        Task.WaitAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        if (failed > 0) throw new InvalidOperationException($"{failed} of {Devices} requests to {url} failed");
        Array.Sort(latencies);
        return (Devices / seconds, latencies[(int)Math.Ceiling(Devices * 0.99) - 1]);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SecureOta.Agent.Tests;
using SecureOta.DeviceSimulator.Device;
using SecureOta.DeviceSimulator.Fleet;
using SecureOta.DeviceSimulator.Lab;
using SecureOta.DeviceSimulator.Model;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// Issue 15, replicas: two update-server processes on one PostgreSQL (and one artifact directory) behind
/// nginx as the load balancer; a fleet updates through nginx in waves while one replica is killed with
/// SIGKILL mid-rollout. Shown: the fleet converges on the survivor; every wave opens exactly once and
/// the rollout completes once (the audit log, written by both); a dashboard stream on the surviving
/// replica hears what was done through the other (PostgreSQL LISTEN/NOTIFY).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReplicaTests(PostgresServer postgres) : IDisposable
{
    private const int Fleet = 12;
    private const string Token = "replica-test-admin-token";
    private readonly string _dir = Directory.CreateTempSubdirectory("replicas-").FullName;
    private readonly AgentRig _vendor = new();

    public void Dispose()
    {
        _vendor.Dispose();
        Directory.Delete(_dir, true);
    }

    private async Task<(Process Process, string Url)> Replica(string db)
    {
        var pem = Path.Combine(_dir, "vendor.pub.pem");
        File.WriteAllText(pem, _vendor.VendorKey.ExportSubjectPublicKeyInfoPem());
        // One data directory for both: the artifacts are shared (content-addressed, written by rename).
        var p = ServerCommand.Start(["--data", Path.Combine(_dir, "data"), "--db", db, "--urls", "http://127.0.0.1:0", "--vendor-key", pem,
            "--device-rate-limit", "100000", "--source-rate-limit", "10000000", "--nonce-rate-limit", "10000000"],
            new Dictionary<string, string> { ["UPDATE_SERVER_ADMIN_TOKEN"] = Token });
        return (p, await ServerCommand.ListeningUrl(p, "http"));
    }

    private static HttpClient Admin(string url)
    {
        var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http;
    }

    // Reads server-sent events from one replica's /events into notices until stop.
    private static async Task Listen(string url, List<string> notices, TaskCompletionSource open, CancellationToken stop)
    {
        using var http = Admin(url);
        http.Timeout = Timeout.InfiniteTimeSpan;
        using var response = await http.GetAsync("/api/v1/admin/events", HttpCompletionOption.ResponseHeadersRead, stop);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
        open.TrySetResult();
        try
        {
            while (!stop.IsCancellationRequested && await reader.ReadLineAsync(stop) is { } line)
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                    lock (notices) notices.Add(line[6..]);
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            // the test is over: however the stream ends now (cancelled read, reset socket) is fine
        }
    }

    [Fact]
    public async Task TwoReplicasBehindNginx_OneKilledMidRollout_TheFleetConverges_WavesOpenOnce_AndEveryDashboardHearsBoth()
    {
        var db = postgres.NewDatabase();
        var (a, urlA) = await Replica(db);
        var (b, urlB) = await Replica(db);
        using var nginx = NginxServer.LoadBalancer([urlA, urlB]);
        using var viaNginx = Admin(nginx.BaseUrl);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var notices = new List<string>();
        var open = new TaskCompletionSource();
        var listening = Listen(urlB, notices, open, stop.Token);
        try
        {
            await open.Task.WaitAsync(TimeSpan.FromSeconds(30));
            // A registration done through replica A is heard on replica B's stream.
            using (var direct = Admin(urlA))
            {
                var other = Convert.ToBase64String(_vendor.ChipState.Objects[SecureOta.ChipEmulator.ChipState.OidDeviceCert].Data);
                (await direct.PostAsJsonAsync("/api/v1/admin/devices", new { id = "registered-through-a", classId = new string('0', 32), certificate = other })).EnsureSuccessStatusCode();
            }
            await Eventually(() => Heard(notices, "registered-through-a"), "replica B's dashboard stream heard the registration made on replica A");

            var bootsim = BootStage.Locate()!;
            var devices = new Provisioner(bootsim).Provision(new Provisioner.Request(Path.Combine(_dir, "fleet"), Fleet, "dev-", _vendor.VendorKey.ExportSubjectPublicKeyInfoPem(),
                _vendor.MasterSecret, _vendor.VendorId, _vendor.ClassId, "1.0.0", 64 * 1024));
            await Provisioner.Register(viaNginx, Path.Combine(_dir, "fleet"), devices);
            var upload = await viaNginx.PostAsync("/api/v1/admin/datasets", new ByteArrayContent(_vendor.DataSet(SimFirmware.Build("1.1.0", 120_000, 13), 1, encrypt: true)));
            Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
            var digest = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("digest").GetString();
            var created = await viaNginx.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest, waves = new[] { 25, 50, 100 }, errorThreshold = Fleet });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var rollout = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

            var run = Task.Run(() => new FleetRunner(bootsim, new Esp32Model()).Run(Path.Combine(_dir, "fleet"), nginx.BaseUrl,
                new FleetOptions { PollDelay = TimeSpan.FromMilliseconds(30), Timeout = TimeSpan.FromSeconds(120), Seed = 3, MaxFailedAttempts = 20 },
                FaultPlan.Parse("none"), TextWriter.Null, CancellationToken.None));
            // Kill replica A once the first wave has confirmed, in the middle of the rollout.
            await Eventually(async () => (await Confirmed(viaNginx)) >= Fleet / 4, "the first wave confirmed", TimeSpan.FromSeconds(90));
            // Both replicas served the fleet so far (their own counters), so the kill takes real work away.
            foreach (var url in new[] { urlA, urlB })
            {
                using var own = Admin(url);
                var metrics = await own.GetStringAsync(ServerMetricsPath);
                var checkIns = PrometheusText.Value(metrics, "secureota_checkins_total");
                Assert.True(checkIns > 0, $"{url} served no check-in: {checkIns}");
            }
            a.Kill(entireProcessTree: true);
            a.WaitForExit(10_000);

            var report = await run;
            using var survivor = Admin(urlB);
            if (report.Updated != Fleet)
            {
                var rollouts = await survivor.GetStringAsync("/api/v1/admin/rollouts");
                var log = string.Join(" | ", (await survivor.GetFromJsonAsync<List<Data.AuditRow>>("/api/v1/admin/audit"))!.Select(e => e.Action + " " + e.Detail));
                var states = string.Join(", ", (await survivor.GetFromJsonAsync<List<Data.DeviceRow>>("/api/v1/admin/devices"))!.Select(d => $"{d.Id}:{d.Sequence}:{d.State}"));
                Assert.Fail($"the fleet did not converge: {report.Summary()}; rollouts {rollouts}; devices {states}; audit {log}");
            }
            var devicesState = await survivor.GetFromJsonAsync<List<Data.DeviceRow>>("/api/v1/admin/devices");
            Assert.Equal(Fleet, devicesState!.Count(d => d.Id.StartsWith("dev-", StringComparison.Ordinal) && d.Sequence == 1));

            var audit = (await survivor.GetFromJsonAsync<List<Data.AuditRow>>("/api/v1/admin/audit"))!;
            foreach (var wave in new[] { 2, 3 })
                Assert.Single(audit, e => e.Action == "advance-rollout" && e.Detail.StartsWith($"{rollout}: wave {wave} of 3 opened", StringComparison.Ordinal));
            Assert.Single(audit, e => e.Action == "complete-rollout" && e.Detail.StartsWith($"{rollout}:", StringComparison.Ordinal));
            var listed = (await survivor.GetFromJsonAsync<List<Data.RolloutRow>>("/api/v1/admin/rollouts"))!.Single(r => r.Id == rollout);
            Assert.Equal(("completed", Fleet), (listed.State, listed.Confirmed));
            // No confirmation lost: every board's confirmation is on record (its own report, or made good
            // from its chip-signed check-in when the report died with replica A).
            using (var database = SecureOta.UpdateServer.Storage.Postgres.PostgresDatabase.Open(db))
                foreach (var d in devices)
                    Assert.True(database.Query("SELECT 1 FROM reports WHERE device = @d AND sequence = 1 AND state = 'confirmed'", ("@d", d.Id)).Count >= 1,
                        $"the server has no confirmation of {d.Id}");
            // B's stream heard devices whatever replica they talked to (at least every device once).
            foreach (var d in devices) Assert.True(Heard(notices, d.Id), $"replica B's stream never heard of {d.Id}");
        }
        finally
        {
            stop.Cancel();
            try { await listening; } catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException or System.Net.Sockets.SocketException) { }
            foreach (var p in new[] { a, b })
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
                p.Dispose();
            }
        }
    }

    private const string ServerMetricsPath = SecureOta.UpdateServer.Api.ServerMetrics.Path;

    private static async Task<int> Confirmed(HttpClient admin)
    {
        try
        {
            var devices = await admin.GetFromJsonAsync<List<Data.DeviceRow>>("/api/v1/admin/devices");
            return devices!.Count(d => d.Sequence == 1);
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static bool Heard(List<string> notices, string subject)
    {
        lock (notices) return notices.Any(n => n.Contains($"\"subject\":\"{subject}\"", StringComparison.Ordinal));
    }

    private static Task Eventually(Func<bool> condition, string what) => Eventually(() => Task.FromResult(condition()), what, TimeSpan.FromSeconds(10));

    private static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not within {within.TotalSeconds} s: {what}");
            await Task.Delay(100);
        }
    }
}

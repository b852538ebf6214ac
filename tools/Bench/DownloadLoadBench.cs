using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using SecureOta.Agent.Tests;
using SecureOta.Agent.Update.Download;
using SecureOta.Agent.Update.Host.Http;
using SecureOta.DeviceSimulator.Lab;

namespace SecureOta.Bench;

/// <summary>
/// Load on the update server (issue 7): N simulated devices download the same data set at once, each
/// with the agent's own resumable download over its own connection, from update-server (out/bin,
/// a separate process) and from nginx serving the same artifact directory, in the same run. Reported:
/// aggregate throughput of each and the ratio server/nginx. The best of three rounds counts (the
/// machine has 2 cores shared by clients and servers alike, so absolute figures are low).
/// </summary>
public static class DownloadLoadBench
{
    private const int Rounds = 3;

    public static IEnumerable<BenchRow> Run()
    {
        var root = FindRoot();
        var dir = Directory.CreateTempSubdirectory("load-bench-").FullName;
        using var vendor = new AgentRig();
        File.WriteAllText(Path.Combine(dir, "vendor.pub.pem"), vendor.VendorKey.ExportSubjectPublicKeyInfoPem());
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        using var server = Process.Start(new ProcessStartInfo(Path.Combine(root, "out", "bin", "update-server"),
            ["--data", Path.Combine(dir, "data"), "--urls", "http://127.0.0.1:0", "--admin-token", token, "--vendor-key", Path.Combine(dir, "vendor.pub.pem")])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            var url = WaitForAddress(server);
            var rows = new List<BenchRow>();
            using var nginx = new NginxServer(Path.Combine(dir, "data", "artifacts"));
            foreach (var (devices, kib) in new[] { (50, 1024), (200, 256) })
            {
                var dataSet = vendor.DataSet(AgentRig.Image(kib * 1024, devices), devices);
                var digest = Upload(url, token, dataSet);
                double ours = Best(() => Throughput($"{url}/artifacts/{digest}", dataSet.Length, devices));
                double theirs = Best(() => Throughput($"{nginx.BaseUrl}/artifacts/{digest}", dataSet.Length, devices));
                rows.Add(new BenchRow("server", $"{devices} dev × {kib} KiB", "MiB/s", ours, "nginx, same file, same run", theirs));
            }
            return rows;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            server.WaitForExit(10_000);
            Directory.Delete(dir, true);
        }
    }

    private static double Best(Func<double> round) => Enumerable.Range(0, Rounds).Select(_ => round()).Max();

    // All devices start together; MiB/s = bytes delivered to all of them / wall time until the last finished.
    private static double Throughput(string url, long size, int devices)
    {
        using var start = new ManualResetEventSlim();
        long failures = 0;
        var threads = Enumerable.Range(0, devices).Select(_ => new Thread(() =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var download = new ResumableDownload(new HttpClientRange(http), url, size, new NoDelay());
            var buffer = new byte[4096];
            long total = 0;
            start.Wait();
            if (download.Open())
            {
                int n;
                while (total < size && (n = download.Read(buffer, 0, buffer.Length)) > 0) total += n;
            }
            download.Close();
            if (total != size) Interlocked.Increment(ref failures);
        })).ToList();
        foreach (var t in threads) t.Start();
        var clock = Stopwatch.StartNew();
        start.Set();
        foreach (var t in threads) t.Join();
        var seconds = clock.Elapsed.TotalSeconds;
        if (failures > 0) throw new InvalidOperationException($"{failures} of {devices} downloads from {url} did not complete");
        return devices * (double)size / (1024 * 1024) / seconds;
    }

    private static string Upload(string url, string token, byte[] dataSet)
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var r = http.PostAsync(url + "/api/v1/admin/datasets", new ByteArrayContent(dataSet)).GetAwaiter().GetResult();
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException("upload refused: " + r.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        return Convert.ToHexString(SHA256.HashData(dataSet)).ToLowerInvariant();
    }

    private static string WaitForAddress(Process server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var line = server.StandardOutput.ReadLine() ?? throw new InvalidOperationException("update-server exited: " + server.StandardError.ReadToEnd());
            var at = line.IndexOf("Now listening on: ", StringComparison.Ordinal);
            if (at >= 0)
            {
                // Keep draining its log so the server never blocks on a full pipe.
                _ = Task.Run(() => server.StandardOutput.ReadToEnd());
                return line[(at + 18)..].Trim();
            }
        }
        throw new TimeoutException("update-server did not report its address within 30 s");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Agent.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    private sealed class NoDelay : IDelay
    {
        public void SleepMilliseconds(int milliseconds) => Thread.Sleep(Math.Min(milliseconds, 100));
    }
}

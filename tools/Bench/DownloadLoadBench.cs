using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using SecureOta.UpdateServer.Tests;
using SecureOta.Agent.Tests;
using SecureOta.Agent.Update.Download;
using SecureOta.Agent.Update.Host.Http;
using SecureOta.DeviceSimulator.Lab;

namespace SecureOta.Bench;

/// <summary>
/// Load on the update server (issue 7): N simulated devices download the same data set at once, each
/// with the agent's own resumable download over its own connection, from update-server (out/bin,
/// a separate process) and from nginx serving the same artifact directory, in the same run. Reported:
/// aggregate throughput of each and the ratio server/nginx. The rounds alternate (server, nginx, server,
/// ...) so a slow spell of the machine hits both alike, and the best of seven rounds of each counts (the
/// machine has 2 cores shared by clients and servers alike, so absolute figures are low and noisy: with
/// three rounds run one server after the other, the ratio of one case varied from 0.59 to 0.89). Two
/// untimed rounds of each come first, and more until update-server is warm: it is a .NET process started
/// for the run, and a profile of its first rounds showed a third of its CPU in the JIT's background tier-1
/// compilation, a start-up cost a long-running server has long paid and nginx never pays. Two rounds did
/// not cover it: the server's JIT count (its /metrics) still grew by hundreds of methods per round pair until about
/// 12 s after its start, so warm-up rounds go on until a round pair compiled fewer than WarmMethods methods
/// (at most MaxWarmUpRounds). Measured both ways, the ratio moved within the run-to-run spread; the rule
/// makes the comparison the one the comment claims. A round is long enough to measure: each
/// device downloads the data set several times in it, each time on a new connection as a board does (with
/// one download per device, a round of 50 MiB took about 60 ms over plain HTTP, and the ratio of the same
/// build ranged from 0.64 to 0.89 between runs: thread start-up and scheduling, not serving, set the figure).
/// </summary>
public static class DownloadLoadBench
{
    private const int Rounds = 7, WarmUpRounds = 2, MaxWarmUpRounds = 30;

    /// <summary>A round pair that made the server's JIT compile fewer methods than this counts as warm (a cold one compiles hundreds).</summary>
    private const long WarmMethods = 100;

    /// <summary>Downloads per device in one round: about 0.5 s of serving per round at this machine's rates.</summary>
    private const int PlainRepeats = 8, HttpsRepeats = 2;

    public static IEnumerable<BenchRow> Run()
    {
        using var vendor = new AgentRig();
        using var tls = new TestTls();
        var rows = new List<BenchRow>();
        // Plain HTTP, and HTTPS as the boards download (issue 15: the server serves HTTPS, the agent pins its CA).
        foreach (var https in new[] { false, true })
        {
            using var server = new ServerProcess(vendor.VendorKey.ExportSubjectPublicKeyInfoPem(), https ? tls : null);
            using var nginx = https ? new NginxServer(server.ArtifactDirectory, tls.CertPem, tls.KeyPem) : new NginxServer(server.ArtifactDirectory);
            var ca = https ? tls.Ca : null;
            int repeats = https ? HttpsRepeats : PlainRepeats;
            foreach (var (devices, kib) in new[] { (50, 1024), (200, 256) })
            {
                var dataSet = vendor.DataSet(AgentRig.Image(kib * 1024, devices), devices);
                var digest = server.Upload(dataSet);
                long compiled = server.JitCompiledMethods(), grown = long.MaxValue;
                for (int round = 0; round < MaxWarmUpRounds && (round < WarmUpRounds || grown >= WarmMethods); round++)
                {
                    Throughput($"{server.Url}/artifacts/{digest}", dataSet.Length, devices, repeats, ca);
                    Throughput($"{nginx.BaseUrl}/artifacts/{digest}", dataSet.Length, devices, repeats, ca);
                    long now = server.JitCompiledMethods();
                    (grown, compiled) = (now - compiled, now);
                }
                double ours = 0, theirs = 0, ourCpu = 0, theirCpu = 0;
                for (int round = 0; round < Rounds; round++)
                {
                    double before = ProcessCpu.Seconds(server.ProcessId);
                    ours = Math.Max(ours, Throughput($"{server.Url}/artifacts/{digest}", dataSet.Length, devices, repeats, ca));
                    ourCpu += ProcessCpu.Seconds(server.ProcessId) - before;
                    before = ProcessCpu.Seconds(nginx.ProcessId);
                    theirs = Math.Max(theirs, Throughput($"{nginx.BaseUrl}/artifacts/{digest}", dataSet.Length, devices, repeats, ca));
                    theirCpu += ProcessCpu.Seconds(nginx.ProcessId) - before;
                }
                var name = $"{devices} dev × {kib} KiB{(https ? ", HTTPS" : "")}";
                rows.Add(new BenchRow("server", name, "MiB/s", ours, "nginx, same file, same run", theirs));
                // The servers' own CPU per MiB delivered over the timed rounds (the clients' CPU is the same for both).
                double mib = Rounds * (double)devices * repeats * dataSet.Length / (1024 * 1024);
                rows.Add(new BenchRow("server", name, "CPU ms/MiB", 1000 * ourCpu / mib, "nginx's workers, same rounds", 1000 * theirCpu / mib));
            }
        }
        return rows;
    }

    // All devices start together, each downloading `repeats` times one after the other; MiB/s = bytes delivered
    // to all of them / wall time until the last finished.
    private static double Throughput(string url, long size, int devices, int repeats, X509Certificate2? ca)
    {
        using var start = new ManualResetEventSlim();
        long failures = 0;
        var threads = Enumerable.Range(0, devices).Select(_ => new Thread(() =>
        {
            var buffer = new byte[4096];
            start.Wait();
            for (int i = 0; i < repeats; i++)
            {
                using var http = new HttpClient(PinnedServerCa.Handler(ca)) { Timeout = TimeSpan.FromSeconds(60) };
                var download = new ResumableDownload(new HttpClientRange(http), url, size, new NoDelay());
                long total = 0;
                if (download.Open())
                {
                    int n;
                    while (total < size && (n = download.Read(buffer, 0, buffer.Length)) > 0) total += n;
                }
                download.Close();
                if (total != size) Interlocked.Increment(ref failures);
            }
        })).ToList();
        foreach (var t in threads) t.Start();
        var clock = Stopwatch.StartNew();
        start.Set();
        foreach (var t in threads) t.Join();
        var seconds = clock.Elapsed.TotalSeconds;
        if (failures > 0) throw new InvalidOperationException($"{failures} of {devices * repeats} downloads from {url} did not complete");
        return devices * (double)repeats * size / (1024 * 1024) / seconds;
    }

    private sealed class NoDelay : IDelay
    {
        public void SleepMilliseconds(int milliseconds) => Thread.Sleep(Math.Min(milliseconds, 100));
    }
}

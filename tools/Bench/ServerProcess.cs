using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using SecureOta.Agent.Update.Host.Http;
using SecureOta.UpdateServer.Tests;

namespace SecureOta.Bench;

/// <summary>out/bin/update-server started as its own process on a free loopback port, with a fresh data directory and admin token.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("bench-server-").FullName;
    public string Url { get; }
    public HttpClient Admin { get; }

    public ServerProcess(string vendorPublicKeyPem, params string[] extra) : this(vendorPublicKeyPem, null, extra)
    {
    }

    /// <summary>The server over HTTPS with tls's certificate (null: plain HTTP); Admin trusts tls's CA alone.</summary>
    public ServerProcess(string vendorPublicKeyPem, TestTls? tls, params string[] extra)
    {
        var root = FindRoot();
        var pem = Path.Combine(Directory, "vendor.pub.pem");
        File.WriteAllText(pem, vendorPublicKeyPem);
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var tokenFile = Path.Combine(Directory, "admin-token");
        File.WriteAllText(tokenFile, token);
        // Every simulated device of a benchmark comes from 127.0.0.1: the per-source and nonce limits are lifted.
        _process = Process.Start(new ProcessStartInfo(Path.Combine(root, "out", "bin", "update-server"),
            ["--data", Path.Combine(Directory, "data"), "--urls", tls is null ? "http://127.0.0.1:0" : "https://127.0.0.1:0", "--admin-token-file", tokenFile, "--vendor-key", pem,
             "--source-rate-limit", "10000000", "--nonce-rate-limit", "10000000", .. (tls is null ? [] : new[] { "--tls-cert", tls.CertPem, "--tls-key", tls.KeyPem }), .. extra])
            { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("update-server did not start");
        Url = WaitForAddress();
        Admin = new HttpClient(PinnedServerCa.Handler(tls?.Ca)) { BaseAddress = new Uri(Url) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>The server's own process (out/bin/update-server execs dotnet, so the id is the server's).</summary>
    public int ProcessId => _process.Id;

    public string ArtifactDirectory => Path.Combine(Directory, "data", "artifacts");

    /// <summary>Uploads a data set through the admin API; returns its digest.</summary>
    public string Upload(byte[] dataSet)
    {
        using var r = Admin.PostAsync("/api/v1/admin/datasets", new ByteArrayContent(dataSet)).GetAwaiter().GetResult();
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException("upload refused: " + r.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        return Convert.ToHexString(SHA256.HashData(dataSet)).ToLowerInvariant();
    }

    /// <summary>The methods the server's JIT has compiled so far, from its /metrics (ServerMetrics.JitMethodsMetric).</summary>
    public long JitCompiledMethods()
    {
        var text = Admin.GetStringAsync(SecureOta.UpdateServer.Api.ServerMetrics.Path).GetAwaiter().GetResult();
        return (long)PrometheusText.Value(text, SecureOta.UpdateServer.Api.ServerMetrics.JitMethodsMetric);
    }

    private string WaitForAddress()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("update-server exited: " + _process.StandardError.ReadToEnd());
            var at = line.IndexOf("Now listening on: ", StringComparison.Ordinal);
            if (at >= 0)
            {
                // Keep draining its log so the server never blocks on a full pipe.
                _ = Task.Run(() => _process.StandardOutput.ReadToEnd());
                _ = Task.Run(() => _process.StandardError.ReadToEnd());
                return line[(at + 18)..].Trim();
            }
        }
        throw new TimeoutException("update-server did not report its address within 30 s");
    }

    public void Dispose()
    {
        Admin.Dispose();
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
        _process.Dispose();
        System.IO.Directory.Delete(Directory, true);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Agent.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}

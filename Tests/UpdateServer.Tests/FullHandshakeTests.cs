using SecureOta.Agent.Update.Host.Http;
using SecureOta.DeviceSimulator.Lab;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// The host twin's HTTPS is not cheaper than the board's: a board makes a full TLS handshake on every
/// connection (nf-interpreter src/PAL/COM/sockets/ssl/MbedTLS/ssl_connect_internal.cpp runs
/// mbedtls_ssl_handshake on a context made for the socket and never calls mbedtls_ssl_set_session, so no
/// session is resumed). .NET's client on Linux can resume sessions (AllowTlsResume, on by default);
/// PinnedServerCa turns it off, because the load and download benchmarks and the fleet runs count the
/// server's handshakes per board and a resumed session would make the servers look cheaper than a fleet
/// makes them. (Measured on 2026-12-04: .NET 10's client did not resume against nginx even with the
/// option on, so this guards against a runtime that does.) Seen from nginx, which logs
/// $ssl_session_reused for each request ("r" resumed, "." full); openssl's client shows the log can say "r".
/// </summary>
public sealed class FullHandshakeTests : IDisposable
{
    private readonly TestTls _tls = new();
    private readonly string _artifacts = Directory.CreateTempSubdirectory("handshake-artifacts-").FullName;

    public void Dispose()
    {
        _tls.Dispose();
        Directory.Delete(_artifacts, true);
    }

    [Fact]
    public async Task EveryConnection_OfTheHostTwin_MakesAFullHandshake()
    {
        var digest = new string('a', 64);
        await File.WriteAllBytesAsync(Path.Combine(_artifacts, digest + ".suit"), new byte[1000]);
        using var nginx = new NginxServer(_artifacts, _tls.CertPem, _tls.KeyPem);
        const int connections = 4;
        // One client, as the agent keeps one, with every connection closed after its request (a board's
        // dropped download reconnects the same way), then a new client per download as the benchmarks make them.
        using (var http = new HttpClient(PinnedServerCa.Handler(_tls.Ca)) { Timeout = TimeSpan.FromSeconds(30) })
            for (int i = 0; i < connections / 2; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{nginx.BaseUrl}/artifacts/{digest}");
                request.Headers.ConnectionClose = true;
                using var response = await http.SendAsync(request);
                Assert.Equal(1000, (await response.Content.ReadAsByteArrayAsync()).Length);
            }
        for (int i = 0; i < connections / 2; i++)
        {
            using var http = new HttpClient(PinnedServerCa.Handler(_tls.Ca)) { Timeout = TimeSpan.FromSeconds(30) };
            Assert.Equal(1000, (await http.GetByteArrayAsync($"{nginx.BaseUrl}/artifacts/{digest}")).Length);
        }
        var lines = await ReadLog(nginx.AccessLog, connections);
        Assert.All(lines, l => Assert.EndsWith("tls_reused=.", l));

        // The log does show a resumed session: openssl's client saves its TLS 1.2 session and offers it again.
        var session = Path.Combine(_artifacts, "session.pem");
        OpensslGet(nginx.Port, digest, "-sess_out", session);
        OpensslGet(nginx.Port, digest, "-sess_in", session);
        var all = await ReadLog(nginx.AccessLog, connections + 2);
        Assert.EndsWith("tls_reused=.", all[connections]);
        Assert.EndsWith("tls_reused=r", all[connections + 1]);
    }

    private static void OpensslGet(int port, string digest, string sessionOption, string sessionFile)
    {
        using var openssl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("openssl",
            ["s_client", "-quiet", "-tls1_2", "-connect", $"127.0.0.1:{port}", sessionOption, sessionFile])
            { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true })!;
        openssl.StandardInput.Write($"GET /artifacts/{digest} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
        openssl.StandardInput.Close();
        var output = openssl.StandardOutput.ReadToEndAsync();
        if (!openssl.WaitForExit(15_000)) { openssl.Kill(); Assert.Fail("openssl s_client did not finish within 15 s"); }
        Assert.Contains("200 OK", output.Result);
    }

    // nginx writes its access log line after the response; bounded wait for all of them.
    private static async Task<string[]> ReadLog(string path, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Contains("GET /artifacts/")).ToArray() : [];
            if (lines.Length >= count || DateTime.UtcNow > deadline)
            {
                Assert.Equal(count, lines.Length);
                return lines;
            }
            await Task.Delay(50);
        }
    }
}

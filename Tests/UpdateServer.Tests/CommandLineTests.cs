using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// update-server's start-up as an operator meets it (issue 17, S6 and C2): every wrong input is one line
/// and exit code 2, never a stack trace; the admin token never has to be on the command line. Runs the
/// published out/bin/update-server (make build).
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("server-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static Process Start(IEnumerable<string> args, IDictionary<string, string>? env = null) => ServerCommand.Start(args, env);

    private (int Code, string Output) Run(params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            throw new TimeoutException("update-server " + string.Join(' ', args) + " did not exit within 60 s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    private void AssertOneLineError(string[] args, string expected)
    {
        var (code, output) = Run(args);
        Assert.True(code == 2, $"exit {code}: {output}");
        Assert.Contains(expected, output);
        Assert.DoesNotContain("   at ", output); // no stack trace
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private string Data => Path.Combine(_dir, "data");

    [Fact]
    public void AnAdminTokenOnTheCommandLine_IsRefused() =>
        AssertOneLineError(["--data", Data, "--admin-token", "a-long-enough-secret-token"], "--admin-token-file");

    [Fact]
    public void AnEmptyAdminTokenFile_IsRefused()
    {
        File.WriteAllText(Path.Combine(_dir, "token"), "\n");
        AssertOneLineError(["--data", Data, "--admin-token-file", Path.Combine(_dir, "token")], "empty");
    }

    [Fact]
    public void AMistypedOption_IsRefused() => AssertOneLineError(["--data", Data, "--vendor-keys", "x.pem"], "Unrecognized command or argument '--vendor-keys'");

    [Fact]
    public void ANumberThatIsNoNumber_IsRefused() => AssertOneLineError(["--data", Data, "--poll-seconds", "abc"], "--poll-seconds");

    [Fact]
    public void AListenUrlThatIsNoUrl_IsRefused() => AssertOneLineError(["--data", Data, "--urls", "notaurl"], "not a listen URL");

    [Fact]
    public void AHostNameToListenOn_IsRefused() => AssertOneLineError(["--data", Data, "--urls", "http://update-host:5080"], "host name");

    [Fact]
    public void AGarbageConnectionString_IsOneLine() => AssertOneLineError(["--data", Data, "--db", "garbage;;=x"], "cannot open the server's state");

    [Fact]
    public void AP384VendorKey_IsRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var pem = Path.Combine(_dir, "p384.pub.pem");
        File.WriteAllText(pem, key.ExportSubjectPublicKeyInfoPem());
        AssertOneLineError(["--data", Data, "--vendor-key", pem], "not P-256");
    }

    [Fact]
    public void ADatabaseWithAForeignDevicesTable_IsRefused_NotStamped()
    {
        Directory.CreateDirectory(Data);
        var file = Path.Combine(Data, "update-server.db");
        using (var db = SecureOta.UpdateServer.Storage.Sqlite.SqliteDatabase.Open(file))
            db.Execute("CREATE TABLE devices (serial TEXT, owner TEXT)");
        AssertOneLineError(["--data", Data], "did not create");
        using (var db = SecureOta.UpdateServer.Storage.Sqlite.SqliteDatabase.Open(file))
            Assert.Empty(db.Query("SELECT name FROM sqlite_master WHERE name = 'settings'"));
    }

    [Fact]
    public async Task TheAdminTokenFromTheEnvironment_OpensTheAdminApi()
    {
        const string token = "an-admin-token-from-the-environment";
        using var p = Start(["--data", Data, "--urls", "http://127.0.0.1:0"], new Dictionary<string, string> { ["UPDATE_SERVER_ADMIN_TOKEN"] = token });
        try
        {
            var url = await ServerCommand.ListeningUrl(p, "http");
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/admin/devices")).StatusCode);
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong-token-of-some-length");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/admin/devices")).StatusCode);
        }
        finally
        {
            p.Kill(true);
            p.WaitForExit(10_000);
        }
    }

    [Fact]
    public void ATrustedProxyThatIsNoAddress_IsRefused() =>
        AssertOneLineError(["--data", Data, "--trusted-proxy", "nginx.local"], "--trusted-proxy nginx.local: an IP address");

    [Fact]
    public void ATlsCertificateWithoutItsKey_IsRefused() =>
        AssertOneLineError(["--data", Data, "--tls-cert", Path.Combine(_dir, "server.pem")], "--tls-cert needs --tls-key");

    [Fact]
    public void AnHttpsAddressWithoutACertificate_IsRefused() =>
        AssertOneLineError(["--data", Data, "--urls", "https://127.0.0.1:0"], "HTTPS needs the server's certificate and key");

    [Fact]
    public void PlainHttpWhereBoardsCanReachIt_IsRefused_UnlessAskedFor() =>
        AssertOneLineError(["--data", Data, "--urls", "http://0.0.0.0:0"], "--plain-http");

    [Fact]
    public void AnExpiredCertificate_IsRefused()
    {
        using var tls = new TestTls(notAfter: DateTimeOffset.UtcNow.AddHours(-1));
        AssertOneLineError(["--data", Data, "--tls-cert", tls.CertPem, "--tls-key", tls.KeyPem], "not now");
    }

    [Fact]
    public void AKeyThatIsNotTheCertificates_IsRefused()
    {
        using var a = new TestTls();
        using var b = new TestTls();
        AssertOneLineError(["--data", Data, "--tls-cert", a.CertPem, "--tls-key", b.KeyPem], "not a PEM certificate and its private key");
    }

    [Fact]
    public async Task WithACertificate_TheServerServesHttps_ByDefaultAndOnlyThat()
    {
        const string token = "an-admin-token-for-the-https-run";
        using var tls = new TestTls();
        using var p = Start(["--data", Data, "--tls-cert", tls.CertPem, "--tls-key", tls.KeyPem, "--urls", "https://127.0.0.1:0"],
            new Dictionary<string, string> { ["UPDATE_SERVER_ADMIN_TOKEN"] = token });
        try
        {
            var url = await ServerCommand.ListeningUrl(p, "https");
            using var http = new HttpClient(SecureOta.Agent.Update.Host.Http.PinnedServerCa.Handler(tls.Ca)) { BaseAddress = new Uri(url) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/admin/devices")).StatusCode);
        }
        finally
        {
            p.Kill(true);
            p.WaitForExit(10_000);
        }
    }
}

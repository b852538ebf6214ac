using System.Net;
using SecureOta.Agent.Tests;
using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Flow;
using SecureOta.Agent.Update.Host.Http;
using SecureOta.Core.Crypto;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// Issue 15, HTTPS to the boards: the server serves its certificate from PEM files; the agent (host twin)
/// reaches it only when the certificate chains to the CA it was given and names the host it dialled,
/// as the board's HttpWebRequest does with HttpsAuthentCert and SslVerification.CertificateRequired.
/// The check-in stays chip-signed: TLS keeps the session token and the status reports off the air.
/// </summary>
public sealed class HttpsTests : IAsyncLifetime
{
    private readonly AgentRig _rig = new();
    private readonly TestTls _tls = new();
    private ServerFixture _server = null!;
    private string _dir = "";

    public Task InitializeAsync()
    {
        _server = new ServerFixture(_tls.Server, _tls.Ca, _rig.VendorKey);
        _dir = Directory.CreateTempSubdirectory("server-https-").FullName;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _rig.Dispose();
        _tls.Dispose();
        Directory.Delete(_dir, true);
    }

    private UpdateAgent Agent(HttpClient device, BootSim boot, string version) => _server.Agent(_rig, device, boot, version);

    [Fact]
    public async Task AnEncryptedUpdate_GoesFromUploadToConfirmed_OverHttps_WithTheServersCaPinned()
    {
        Assert.StartsWith("https://127.0.0.1:", _server.BaseUrl);
        await _server.RegisterDevice("dev-1", _rig);
        var image = AgentRig.Image(120_000, 72);
        var digest = await _server.Upload(_rig.DataSet(image, 7, encrypt: true));
        Assert.Equal(HttpStatusCode.Created, (await _server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest })).StatusCode);
        var boot = new BootSim(_rig, _dir);
        boot.Configure(0);

        using var device = new HttpClient(PinnedServerCa.Handler(_tls.Ca)) { Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal("staged sequence 7, rebooted", await Task.Run(() => Agent(device, boot, "1.0.0").RunOnce()));
        Assert.Equal("confirmed sequence 7", await Task.Run(() => Agent(device, boot, "1.7.0").RunOnce()));
        Assert.Equal(7, _rig.Driver.ReadCounter(SecurityChip.OidRollbackCounter, out _));
        var deploy = new byte[image.Length];
        _rig.Deploy.Read(0, deploy, 0, deploy.Length);
        Assert.Equal(image, deploy);
    }

    [Fact]
    public async Task AServerCertificateFromAnotherCa_IsRefused_AndTheDeviceNeverChecksIn()
    {
        await _server.RegisterDevice("dev-1", _rig);
        using var other = new TestTls("CN=someone else's CA");
        using var device = new HttpClient(PinnedServerCa.Handler(other.Ca)) { Timeout = TimeSpan.FromSeconds(30) };
        var line = await Task.Run(() => Agent(device, new BootSim(_rig, _dir), "1.0.0").RunOnce());
        Assert.Contains("check-in", line);
        Assert.Contains("SSL", line, StringComparison.OrdinalIgnoreCase);

        // Without any CA (a board whose settings name none), https is refused as well: never "trust anything".
        using var none = new HttpClient(PinnedServerCa.Handler(null)) { Timeout = TimeSpan.FromSeconds(30) };
        Assert.Contains("SSL", await Task.Run(() => Agent(none, new BootSim(_rig, _dir), "1.0.0").RunOnce()), StringComparison.OrdinalIgnoreCase);

        var devices = await _server.Admin.GetFromJsonAsync<List<Data.DeviceRow>>("/api/v1/admin/devices");
        var never = Assert.Single(devices!);
        Assert.Equal(("registered", 0L), (never.State, never.LastSeen));
    }

    [Fact]
    public async Task ACertificateFromThePinnedCa_ForAnotherName_IsRefused()
    {
        using var tls = new TestTls(names: ["update.example"]);
        await using var server = new ServerFixture(tls.Server, tls.Ca, _rig.VendorKey);
        using var device = new HttpClient(PinnedServerCa.Handler(tls.Ca)) { Timeout = TimeSpan.FromSeconds(30) };
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => device.PostAsync(server.BaseUrl + "/api/v1/devices/dev-1/nonce", new StringContent("{}")));
        Assert.Contains("SSL", failure.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ADeviceSimFleet_UpdatesOverHttps_WithTheServerCaPinned()
    {
        var bootsim = SecureOta.DeviceSimulator.Device.BootStage.Locate()!;
        var fleet = Path.Combine(_dir, "fleet");
        var devices = new SecureOta.DeviceSimulator.Fleet.Provisioner(bootsim).Provision(new SecureOta.DeviceSimulator.Fleet.Provisioner.Request(fleet, 3, "dev-",
            _rig.VendorKey.ExportSubjectPublicKeyInfoPem(), _rig.MasterSecret, _rig.VendorId, _rig.ClassId, "1.0.0", 64 * 1024));
        await SecureOta.DeviceSimulator.Fleet.Provisioner.Register(_server.Admin, fleet, devices);
        var digest = await _server.Upload(_rig.DataSet(SecureOta.DeviceSimulator.Device.SimFirmware.Build("1.1.0", 90_000, 14), 1, encrypt: true));
        Assert.Equal(HttpStatusCode.Created, (await _server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest })).StatusCode);

        var report = await Task.Run(() => new SecureOta.DeviceSimulator.Fleet.FleetRunner(bootsim, new SecureOta.DeviceSimulator.Model.Esp32Model()).Run(fleet, _server.BaseUrl,
            new SecureOta.DeviceSimulator.Fleet.FleetOptions { PollDelay = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(60), ServerCa = _tls.Ca },
            SecureOta.DeviceSimulator.Fleet.FaultPlan.Parse("drop=1"), TextWriter.Null, CancellationToken.None));
        Assert.Equal(3, report.Updated);
    }

    [Fact]
    public async Task PlainHttp_ToTheHttpsPort_GetsNoAnswer()
    {
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var url = _server.BaseUrl.Replace("https://", "http://") + "/api/v1/devices/dev-1/nonce";
        // Kestrel closes a plain-HTTP connection to a TLS endpoint without an answer: nothing is served in clear.
        await Assert.ThrowsAsync<HttpRequestException>(() => plain.PostAsync(url, new StringContent("{}")));
    }
}

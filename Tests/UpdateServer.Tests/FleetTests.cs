using System.Net;
using System.Security.Cryptography;
using SecureOta.Agent.Tests;
using SecureOta.DeviceSimulator.Device;
using SecureOta.DeviceSimulator.Fleet;
using SecureOta.DeviceSimulator.Model;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// device-sim's fleet against the real server: provisioned boards (chip, flash file, bootsim) update
/// through check-in, Range download, chip verification, staging and the C boot stage, with every
/// kind of fault injected; and a rollout that halts when devices fail past its threshold.
/// </summary>
public class FleetTests : IAsyncLifetime
{
    private readonly AgentRig _vendor = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-").FullName;
    private ServerFixture _server = null!;
    private string _bootsim = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture(100_000, Database(), _vendor.VendorKey);
        _bootsim = BootStage.Locate() ?? throw new InvalidOperationException("out/bin/bootsim is missing: run 'make build' first");
        return Task.CompletedTask;
    }

    /// <summary>Null: SQLite in the data directory; otherwise a PostgreSQL connection string.</summary>
    protected virtual string? Database() => null;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _vendor.Dispose();
        Directory.Delete(_dir, true);
    }

    private async Task Provision(int count, string part = "trust-m", string layout = Provisioner.SwapLayout)
    {
        var devices = new Provisioner(_bootsim).Provision(new Provisioner.Request(_dir, count, "dev-", _vendor.VendorKey.ExportSubjectPublicKeyInfoPem(),
            _vendor.MasterSecret, _vendor.VendorId, _vendor.ClassId, "1.0.0", 64 * 1024, part, _vendor.ClassKey.ExportPkcs8PrivateKey(), Layout: layout));
        await Provisioner.Register(_server.Admin, _dir, devices);
    }

    private async Task<long> Publish(string version, long sequence, int errorThreshold, AgentRig.Recipients recipients = AgentRig.Recipients.MasterSecret)
    {
        var digest = await _server.Upload(_vendor.DataSet(SimFirmware.Build(version, 150_000, 11), sequence, encrypt: true, recipients: recipients));
        var created = await _server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest, errorThreshold });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
    }

    private FleetReport Run(string faults, int seed, int timeoutSeconds = 90) =>
        new FleetRunner(_bootsim, new Esp32Model()).Run(_dir, _server.BaseUrl.TrimEnd('/'),
            new FleetOptions { PollDelay = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(timeoutSeconds), Seed = seed, MaxFailedAttempts = 6 },
            FaultPlan.Parse(faults), TextWriter.Null, CancellationToken.None);

    [Fact]
    public async Task EveryDeviceUpdates_ThroughEveryKindOfFault()
    {
        await Provision(10);
        await Publish("1.1.0", 1, errorThreshold: 100);

        var report = await Task.Run(() => Run("all", seed: 5));

        Assert.Equal(0, report.Errors);
        Assert.Equal(10, report.Updated);
        Assert.Equal(new Dictionary<string, int> { ["1.1.0"] = 10 }, report.Versions);
        var fired = report.DeviceResults.SelectMany(d => d.FaultsInjected).ToList();
        foreach (var kind in new[] { "power cut: power lost during", "boot stage power cut", "dropped the connection", "flipped a bit of byte", "HTTP 200", "I2C bus" })
            Assert.Contains(fired, f => f.Contains(kind));
        HtmlReportChecks.AssertShows(SecureOta.DeviceSimulator.Report.HtmlReport.Render(report, new Esp32Model()), report);
        // What a fault costs is visible: bit flips and bus attacks are reported failures, and retried.
        Assert.Contains(report.DeviceResults.SelectMany(d => d.Reports), r => r.StartsWith("failed 1 (1/17:")); // digest mismatch
        Assert.Contains(report.DeviceResults.SelectMany(d => d.Reports), r => r.StartsWith("failed 1 (2/")); // chip (bus attack)
        foreach (var d in report.DeviceResults)
        {
            Assert.Equal(("updated", "1.1.0", 1L), (d.Outcome, d.Version, d.Sequence));
            Assert.True(d.Modeled.Flash > 0 && d.Modeled.Network > 0 && d.Modeled.Chip > 0 && d.Modeled.BootStage > 0, d.Id);
        }
        var devices = await _server.Admin.GetFromJsonAsync<List<Data.DeviceRow>>("/api/v1/admin/devices");
        Assert.All(devices!, d => Assert.Equal(("confirmed", "1.1.0"), (d.State, d.Version)));
    }

    /// <summary>
    /// An update's modeled time starts at the check-in that brought its offer (docs/device-simulator.md): a
    /// board of the second wave, which checked in idle while the first wave updated, is charged the same
    /// update as the board of the first wave, not its wait and idle check-ins as well.
    /// </summary>
    [Fact]
    public async Task ModeledUpdateTime_StartsAtTheOffer_NotAtPowerOn()
    {
        await Provision(4, layout: Provisioner.AbLayout);
        var digest = await _server.Upload(_vendor.DataSet(SimFirmware.Build("1.1.0", 150_000, 11), 1, encrypt: true));
        using (var created = await _server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest, errorThreshold = 100, waves = new[] { 25, 100 }, successThreshold = 100 }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var report = await Task.Run(() => Run("none", seed: 8));

        Assert.Equal(4, report.Updated);
        var byOffer = report.DeviceResults.OrderBy(d => d.FirstOfferSeconds).ToList();
        var (first, last) = (byOffer[0], byOffer[^1]);
        // The last board was offered the update only after the first confirmed; it checked in idle before.
        double firstConfirmed = first.Timeline.First(t => t.State == "confirmed").Seconds;
        Assert.True(last.FirstOfferSeconds > firstConfirmed, $"{last.Id} offered at {last.FirstOfferSeconds} s, {first.Id} confirmed at {firstConfirmed} s");
        // The same work: within 5 % of each other (the idle check-ins alone would add over 0.1 s each).
        Assert.InRange(last.Modeled.Busy, first.Modeled.Busy * 0.95, first.Modeled.Busy * 1.05);
        Assert.InRange(last.Modeled.ChipCommands, first.Modeled.ChipCommands - 1, first.Modeled.ChipCommands + 1);
    }

    /// <summary>
    /// A/B boards (docs/boot-protocol.md, "A/B slots"): the agent writes the image straight into the second
    /// slot and the boot stage activates it there, through every kind of fault; a second release then goes
    /// into the first slot again. What runs is read from the slot the boot stage boots.
    /// </summary>
    [Fact]
    public async Task AbBoards_UpdateInTheOtherSlot_ThroughEveryKindOfFault_AndAlternate()
    {
        await Provision(6, layout: Provisioner.AbLayout);
        await Publish("1.1.0", 1, errorThreshold: 100);

        var first = await Task.Run(() => Run("all", seed: 6));

        Assert.Equal(0, first.Errors);
        Assert.Equal(6, first.Updated);
        Assert.Equal(new Dictionary<string, int> { [Provisioner.AbLayout] = 6 }, first.Layouts);
        var fired = first.DeviceResults.SelectMany(d => d.FaultsInjected).ToList();
        Assert.Contains(fired, f => f.Contains("power cut: power lost during"));
        Assert.Contains(fired, f => f.Contains("boot stage power cut"));
        foreach (var d in first.DeviceResults)
        {
            Assert.Equal(("updated", "1.1.0", 1L), (d.Outcome, d.Version, d.Sequence));
            Assert.True(d.ModeledLimit > 0 && d.Modeled.Busy >= d.ModeledLimit, $"{d.Id}: busy {d.Modeled.Busy} s, limit {d.ModeledLimit} s");
        }
        foreach (var dir in FleetRunner.DeviceDirs(_dir))
        {
            var flash = BoardFlash.LoadAny(Path.Combine(dir, SimDevice.FlashFile));
            Assert.True(flash.IsAb);
            Assert.Equal("1.0.0", SimFirmware.ReadVersion(flash.Deploy)); /* the factory image stays in slot 0 */
            Assert.Equal("1.1.0", SimFirmware.ReadVersion(flash.DeployB!));
        }

        await Publish("1.2.0", 2, errorThreshold: 100);
        var second = await Task.Run(() => Run("power-cut=1,boot-power-cut=1", seed: 7));

        Assert.Equal(6, second.Updated);
        Assert.All(second.DeviceResults, d => Assert.Equal(("updated", "1.2.0", 2L), (d.Outcome, d.Version, d.Sequence)));
        foreach (var dir in FleetRunner.DeviceDirs(_dir))
        {
            var flash = BoardFlash.LoadAny(Path.Combine(dir, SimDevice.FlashFile));
            Assert.Equal("1.2.0", SimFirmware.ReadVersion(flash.Deploy)); /* back into slot 0 */
            Assert.Equal("1.1.0", SimFirmware.ReadVersion(flash.DeployB!));
        }
    }

    [Theory]
    [InlineData(Provisioner.SwapLayout)]
    [InlineData(Provisioner.AbLayout)] /* each image into its own second slot, both activated at once */
    public async Task FirmwareAndApplication_InstallTogether_ThroughPowerCutsInTheAgentAndTheBootStage(string layout)
    {
        await Provision(4, layout: layout);
        var firmware = AgentRig.Image(200_000, 13);
        var app = SimFirmware.Build("1.1.0", 150_000, 14);
        string Uri(byte[] payload) => _server.BaseUrl.TrimEnd('/') + "/payloads/" + Convert.ToHexString(SHA256.HashData(payload)).ToLowerInvariant();
        foreach (var payload in new[] { firmware, app })
            using (var up = await _server.Admin.PostAsync("/api/v1/admin/payloads", new ByteArrayContent(payload)))
                Assert.Equal(HttpStatusCode.Created, up.StatusCode);
        var digest = await _server.Upload(_vendor.PairDataSet(firmware, app, 1, c => Uri(c == "nanoclr" ? firmware : app)));
        var created = await _server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest, errorThreshold = 100 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var report = await Task.Run(() => Run("power-cut=1,boot-power-cut=1", seed: 9));

        Assert.Equal(4, report.Updated);
        var fired = report.DeviceResults.SelectMany(d => d.FaultsInjected).ToList();
        Assert.Equal(4, fired.Count(f => f.Contains("power cut: power lost during")));
        Assert.Equal(4, fired.Count(f => f.Contains("boot stage power cut")));
        foreach (var dir in FleetRunner.DeviceDirs(_dir))
        {
            var flash = BoardFlash.LoadAny(Path.Combine(dir, SimDevice.FlashFile));
            var nanoclr = new byte[firmware.Length];
            (flash.IsAb ? flash.NanoclrB! : flash.Nanoclr).Read(0, nanoclr, 0, nanoclr.Length);
            var deploy = new byte[app.Length];
            (flash.IsAb ? flash.DeployB! : flash.Deploy).Read(0, deploy, 0, deploy.Length);
            Assert.Equal(firmware, nanoclr);
            Assert.Equal(app, deploy);
        }
    }

    [Fact]
    public async Task AnApplicationForANewerFirmware_IsRefusedUntilTheFirmwareIsInstalled_WithTheReasonOnTheServer()
    {
        await Provision(3);
        string Uri(byte[] payload) => _server.BaseUrl.TrimEnd('/') + "/payloads/" + Convert.ToHexString(SHA256.HashData(payload)).ToLowerInvariant();
        async Task<long> Roll(string digest)
        {
            var created = await _server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest, errorThreshold = 100 });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            return (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt64();
        }

        // 1. An application built for firmware 2.0: every board runs the factory's 1.0.0 and refuses it
        //    before writing anything; the server shows why.
        var first = await Roll(await _server.Upload(_vendor.DataSet(SimFirmware.Build("1.2.0", 150_000, 21), 1, encrypt: true, requiresFirmware: [2, 0])));
        var refused = await Task.Run(() => Run("none", seed: 4, timeoutSeconds: 60));
        Assert.Equal(0, refused.Updated);
        Assert.All(refused.DeviceResults, d =>
        {
            Assert.Equal(("failed", "1.0.0", 0L), (d.Outcome, d.Version, d.Sequence));
            Assert.All(d.Reports.Where(r => r.StartsWith("failed")), r => Assert.StartsWith("failed 1 (1/22: the data set requires firmware 2.0 or newer; this device runs 1.0.0", r));
            Assert.DoesNotContain(d.Reports, r => r.StartsWith("staged") || r.StartsWith("verified"));
        });
        var reasons = await _server.Admin.GetFromJsonAsync<List<Data.FailureReasonRow>>("/api/v1/admin/failures/reasons");
        var reason = Assert.Single(reasons!);
        Assert.Equal((1, 22, 3L), (reason.Failure, reason.Code, reason.Devices));
        Assert.Contains("install the firmware first", reason.Latest);
        using (var cancel = await _server.Admin.PostAsync($"/api/v1/admin/rollouts/{first}/cancel", null)) Assert.True(cancel.IsSuccessStatusCode);

        // 2. Firmware 2.0.0 released with an application (one data set, seq 2), then the application that
        //    needs it (seq 3): the boards now run 2.0.0 (read from what the boot stage put in nanoclr) and take it.
        var firmware = SimFirmware.Build("2.0.0", 200_000, 22);
        var app = SimFirmware.Build("1.3.0", 150_000, 23);
        foreach (var payload in new[] { firmware, app })
            using (var up = await _server.Admin.PostAsync("/api/v1/admin/payloads", new ByteArrayContent(payload)))
                Assert.Equal(HttpStatusCode.Created, up.StatusCode);
        await Roll(await _server.Upload(_vendor.PairDataSet(firmware, app, 2, c => Uri(c == "nanoclr" ? firmware : app))));
        Assert.Equal(3, (await Task.Run(() => Run("none", seed: 5))).Updated);
        await Roll(await _server.Upload(_vendor.DataSet(SimFirmware.Build("1.4.0", 150_000, 24), 3, encrypt: true, requiresFirmware: [2, 0])));
        var accepted = await Task.Run(() => Run("none", seed: 6));
        Assert.Equal(3, accepted.Updated);
        Assert.All(accepted.DeviceResults, d => Assert.Equal(("updated", "1.4.0", 3L), (d.Outcome, d.Version, d.Sequence)));
    }

    [Fact]
    public async Task AMixedFleet_TrustMAndTrustX_InstallsOneDataSetWithBothRecipients()
    {
        await Provision(6, "mixed");
        await Publish("1.1.0", 1, errorThreshold: 100, AgentRig.Recipients.Both);

        var report = await Task.Run(() => Run("recoverable", seed: 3));

        Assert.Equal(new Dictionary<string, int> { ["trust-m"] = 3, ["trust-x"] = 3 }, report.Parts);
        Assert.Equal(6, report.Updated);
        Assert.Equal(new Dictionary<string, int> { ["trust-m"] = 3, ["trust-x"] = 3 }, report.UpdatedByPart);
        Assert.All(report.DeviceResults, d => Assert.Equal(("updated", "1.1.0", 1L), (d.Outcome, d.Version, d.Sequence)));
        Assert.Contains("(trust-m 3/3, trust-x 3/3)", report.Summary());
    }

    [Fact]
    public async Task ARolloutHalts_WhenDevicesFailPastItsThreshold_AndNoDeviceInstallsIt()
    {
        await Provision(6);
        // Threshold 1: the first failure halts it (with 2, a device could retry and succeed before a
        // second device's failure arrived: the threshold counts devices, not attempts).
        var rollout = await Publish("1.1.0", 1, errorThreshold: 1);

        // Every device's download is damaged in transit: the digest check refuses it after the download,
        // so no device can succeed before its own failure report halted the rollout.
        var report = await Task.Run(() => Run("corrupt=1", seed: 2, timeoutSeconds: 20));

        Assert.Equal(0, report.Updated);
        Assert.InRange(report.Failed, 1, 6);
        Assert.Equal(6, report.Failed + report.Pending); // a device that had not got the offer before the halt never gets it
        Assert.All(report.DeviceResults, d => Assert.Equal("1.0.0", d.Version));
        var rollouts = await _server.Admin.GetFromJsonAsync<List<Data.RolloutRow>>("/api/v1/admin/rollouts");
        var row = Assert.Single(rollouts!, r => r.Id == rollout);
        Assert.Equal("halted", row.State);
        Assert.InRange(row.Failed, 1, 6);
    }
}

/// <summary>The same fleet runs with the server's state in a real PostgreSQL (started by the test run).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresFleetTests(PostgresServer postgres) : FleetTests
{
    protected override string? Database() => postgres.NewDatabase();
}

/// <summary>
/// The artifacts served by a plain static server: nginx serves the update server's artifact
/// directory, the check-in answer points there (--artifact-base-url), and the boards download from
/// nginx with Range/If-Range against nginx's own ETag, resuming after dropped connections.
/// </summary>
public sealed class NginxArtifactTests : IAsyncLifetime
{
    private readonly AgentRig _vendor = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-nginx-").FullName;
    private ServerFixture _server = null!;
    private SecureOta.DeviceSimulator.Lab.NginxServer _nginx = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture(100_000, null, dataDirectory =>
        {
            _nginx = new SecureOta.DeviceSimulator.Lab.NginxServer(Path.Combine(dataDirectory, "artifacts"));
            return _nginx.BaseUrl;
        }, _vendor.VendorKey);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _nginx?.Dispose();
        _vendor.Dispose();
        Directory.Delete(_dir, true);
    }

    [Fact]
    public async Task BoardsDownloadFromNginx_AndResumeThroughIt()
    {
        var bootsim = BootStage.Locate()!;
        var devices = new Provisioner(bootsim).Provision(new Provisioner.Request(_dir, 4, "dev-", _vendor.VendorKey.ExportSubjectPublicKeyInfoPem(),
            _vendor.MasterSecret, _vendor.VendorId, _vendor.ClassId, "1.0.0", 64 * 1024));
        await Provisioner.Register(_server.Admin, _dir, devices);
        var digest = await _server.Upload(_vendor.DataSet(SimFirmware.Build("1.1.0", 150_000, 12), 1, encrypt: true));
        Assert.Equal(HttpStatusCode.Created, (await _server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest })).StatusCode);

        var report = await Task.Run(() => new FleetRunner(bootsim, new Esp32Model()).Run(_dir, _server.BaseUrl.TrimEnd('/'),
            new FleetOptions { PollDelay = TimeSpan.FromMilliseconds(20), Timeout = TimeSpan.FromSeconds(60) },
            FaultPlan.Parse("drop=1"), TextWriter.Null, CancellationToken.None));

        Assert.Equal(4, report.Updated);
        var log = File.ReadAllLines(_nginx.AccessLog);
        Assert.Contains(log, l => l.Contains($"GET /artifacts/{digest} ") && l.Contains("\" 200 "));
        Assert.Equal(4, log.Count(l => l.Contains($"GET /artifacts/{digest} ") && l.Contains("\" 206 "))); // each drop resumed with a range
    }
}

/// <summary>Issue 19: device-sim's progress line says how far a long run is and how long it has left.</summary>
public sealed class ProgressLineTests
{
    [Fact]
    public void ThePace_SaysDoneRateAndTimeLeft()
    {
        Assert.Equal("0/100 done", ProgressDisplay.Pace(0, 100, TimeSpan.FromSeconds(5)));
        Assert.Equal("25/100 done, 2.5 boards/s, about 30 s left", ProgressDisplay.Pace(25, 100, TimeSpan.FromSeconds(10)));
        Assert.Equal("10/10000 done, 1.0 boards/s, about 166 min 30 s left", ProgressDisplay.Pace(10, 10000, TimeSpan.FromSeconds(10)));
        Assert.Equal("20/20 done, 4.0 boards/s", ProgressDisplay.Pace(20, 20, TimeSpan.FromSeconds(5)));
    }
}

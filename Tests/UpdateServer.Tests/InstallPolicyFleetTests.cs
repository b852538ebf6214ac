using System.Net;
using System.Security.Cryptography;
using SecureOta.Agent.Tests;
using SecureOta.DeviceSimulator.Device;
using SecureOta.DeviceSimulator.Fleet;
using SecureOta.DeviceSimulator.Model;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// Issue 18 end to end: device-sim fleets against the real server (with its channel key) under each install
/// policy, with power cuts while the boards wait; and fleets behind an attacker who withholds updates, each
/// board reporting its update channel blocked within its limit on the modeled clock.
/// </summary>
public sealed class InstallPolicyFleetTests : IAsyncLifetime
{
    private const int Limit = 3600, Poll = 300;
    private readonly AgentRig _vendor = new();
    private readonly ECDsa _channel = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-policy-").FullName;
    private ServerFixture _server = null!;
    private string _bootsim = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture(o => o with { ChannelKey = _channel }, 100_000, null, null, _vendor.VendorKey);
        _bootsim = BootStage.Locate() ?? throw new InvalidOperationException("out/bin/bootsim is missing: run 'make build' first");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _vendor.Dispose();
        _channel.Dispose();
        Directory.Delete(_dir, true);
    }

    private async Task Provision(int count)
    {
        var devices = new Provisioner(_bootsim).Provision(new Provisioner.Request(_dir, count, "dev-", _vendor.VendorKey.ExportSubjectPublicKeyInfoPem(),
            _vendor.MasterSecret, _vendor.VendorId, _vendor.ClassId, "1.0.0", 64 * 1024, ChannelPublicKeyPem: _channel.ExportSubjectPublicKeyInfoPem()));
        await Provisioner.Register(_server.Admin, _dir, devices);
    }

    private async Task Publish(object? install)
    {
        var digest = await _server.Upload(_vendor.DataSet(SimFirmware.Build("1.1.0", 100_000, 31), 1, encrypt: true));
        var created = await _server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest, errorThreshold = 100, install });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private FleetReport Run(FleetOptions options, string faults = "none") =>
        new FleetRunner(_bootsim, new Esp32Model()).Run(_dir, _server.BaseUrl.TrimEnd('/'), options, FaultPlan.Parse(faults), TextWriter.Null, CancellationToken.None);

    private static FleetOptions Options(int consentAfter = 600, bool cut = false, string? attack = null, bool stopWaiting = false, int attempts = 3) => new()
    {
        PollDelay = TimeSpan.FromMilliseconds(5), Timeout = TimeSpan.FromSeconds(90), ConsentAfterSeconds = consentAfter, MaxFailedAttempts = attempts,
        PowerCutWhileWaiting = cut, Attack = attack, FreshnessLimitSeconds = Limit, StopWhenWaiting = stopWaiting,
    };

    private static double At(DeviceResult d, string state) => d.Timeline.First(t => t.State == state).Seconds;

    [Fact]
    public async Task OnConsent_EveryBoardWaitsForItsOperator_ThroughAPowerCut_ThenInstalls()
    {
        await Provision(4);
        await Publish(new { policy = "on-consent" });

        var report = await Task.Run(() => Run(Options(consentAfter: 1800, cut: true)));

        Assert.Equal(4, report.Updated);
        foreach (var d in report.DeviceResults)
        {
            Assert.Contains(d.FaultsInjected, f => f.StartsWith("power cut while waiting"));
            // One download: the held update survived the power cut and was verified again, not fetched again.
            Assert.Single(d.Reports, r => r.StartsWith("downloading"));
            Assert.True(At(d, "staged") - At(d, "waiting-consent") >= 1800, $"{d.Id} installed {At(d, "staged") - At(d, "waiting-consent")} s after asking");
            Assert.Equal(["waiting-consent", "waiting-consent", "installing"], d.Signals.Select(s => s.State).Where(s => s != "channel-blocked"));
        }
        var devices = await _server.Admin.GetFromJsonAsync<List<Data.DeviceRow>>("/api/v1/admin/devices");
        Assert.All(devices!, d => Assert.Equal("confirmed", d.State));
    }

    [Fact]
    public async Task OnConsent_WithEveryKindOfFault_EveryBoardStillUpdates_AndNoneFindsItsChannelBlocked()
    {
        // Freshness statements and held updates under the faults of the plain fleet test: power cuts in the
        // agent and the boot stage, dropped connections, bit flips, a server answering 200 to a range,
        // tampered data sets, an attacker on the I2C bus (whose flipped bit may hit a statement's check).
        await Provision(6);
        await Publish(new { policy = "on-consent" });

        var report = await Task.Run(() => Run(Options(consentAfter: 900, cut: true, attempts: 6), "all"));

        Assert.Equal(6, report.Updated);
        Assert.All(report.DeviceResults, d => Assert.Null(d.ChannelBlockedSeconds));
        Assert.All(report.DeviceResults, d => Assert.True(At(d, "staged") - At(d, "waiting-consent") >= 900, d.Id));
        Assert.True(report.FaultsInjected >= 6, $"{report.FaultsInjected} faults");
    }

    [Fact]
    public async Task AWindow_EveryBoardInstallsInsideIt_ThroughAPowerCutWhileWaiting()
    {
        await Provision(3);
        long now = _server.Time.Now.ToUnixTimeSeconds();
        int minute = (int)(now / 60 % 1440);
        await Publish(new { policy = "window", windowStart = (minute + 40) % 1440, windowEnd = (minute + 100) % 1440, deadline = 0 });

        var report = await Task.Run(() => Run(Options(cut: true)));

        Assert.Equal(3, report.Updated);
        foreach (var d in report.DeviceResults)
        {
            // The board's clock starts again at the power cut, its time estimate does not: the statement of
            // the next check-in sets it again (docs/device-api.md section 3).
            Assert.Contains(d.FaultsInjected, f => f.StartsWith("power cut while waiting"));
            Assert.Single(d.Reports, r => r.StartsWith("downloading"));
            double waited = At(d, "staged") - At(d, "waiting-window");
            Assert.InRange(waited, 40 * 60 - 2 * Poll, 100 * 60);
        }
    }

    [Fact]
    public async Task AWindowFarAway_WithADeadline_InstallsAtTheDeadline_AndWithout_StaysWaiting()
    {
        await Provision(2);
        long now = _server.Time.Now.ToUnixTimeSeconds();
        int minute = (int)(now / 60 % 1440);
        await Publish(new { policy = "window", windowStart = (minute + 600) % 1440, windowEnd = (minute + 660) % 1440, deadline = now + 1800 });

        var report = await Task.Run(() => Run(Options()));

        Assert.Equal(2, report.Updated);
        Assert.All(report.DeviceResults, d => Assert.InRange(At(d, "staged"), 1800 - Poll, 1800 + 2 * Poll));
    }

    [Fact]
    public async Task OnConsentWithoutConsent_TheBoardsStayWaiting_AndTheServerShowsIt()
    {
        await Provision(3);
        await Publish(new { policy = "on-consent" });

        var report = await Task.Run(() => Run(Options(consentAfter: -1, stopWaiting: true)));

        Assert.Equal(3, report.Waiting);
        HtmlReportChecks.AssertShows(SecureOta.DeviceSimulator.Report.HtmlReport.Render(report, new Esp32Model()), report);
        Assert.All(report.DeviceResults, d => Assert.Equal(("waiting-consent", "1.0.0"), (d.Outcome, d.Version)));
        var devices = await _server.Admin.GetFromJsonAsync<List<Data.DeviceRow>>("/api/v1/admin/devices");
        Assert.All(devices!, d => Assert.Equal("waiting-consent", d.State));
    }

    [Theory]
    [InlineData(ChannelAttacker.Withhold, "was announced")]
    [InlineData(ChannelAttacker.Strip, "no valid freshness statement")]
    [InlineData(ChannelAttacker.Replay, "no valid freshness statement")]
    public async Task AFleetBehindAnAttackerWhoWithholdsUpdates_FindsItsChannelBlocked_WithinTheLimit(string attack, string why)
    {
        await Provision(3);
        await Publish(null);

        var report = await Task.Run(() => Run(Options(attack: attack)));

        Assert.Equal(3, report.ChannelBlocked);
        HtmlReportChecks.AssertShows(SecureOta.DeviceSimulator.Report.HtmlReport.Render(report, new Esp32Model()), report);
        foreach (var d in report.DeviceResults)
        {
            Assert.Equal(("channel-blocked", "1.0.0"), (d.Outcome, d.Version));
            Assert.InRange(d.ChannelBlockedSeconds!.Value, Limit, Limit + Poll + 60);
            Assert.Contains(d.Log, l => l.Contains("local signal: update channel blocked: ") && l.Contains(why));
        }
        var devices = await _server.Admin.GetFromJsonAsync<List<Data.DeviceRow>>("/api/v1/admin/devices");
        if (attack == ChannelAttacker.Withhold)
            Assert.All(devices!, d => Assert.Equal("channel-blocked", d.State)); /* the reports passed the attacker */
        else
            Assert.All(devices!, d => Assert.NotEqual("confirmed", d.State));
    }

    [Fact]
    public async Task WithoutAnAttacker_TheSameFleetUpdates_AndNoBoardFindsItsChannelBlocked()
    {
        await Provision(3);
        await Publish(null);
        var report = await Task.Run(() => Run(Options()));
        Assert.Equal(3, report.Updated);
        Assert.All(report.DeviceResults, d => Assert.Null(d.ChannelBlockedSeconds));
    }
}

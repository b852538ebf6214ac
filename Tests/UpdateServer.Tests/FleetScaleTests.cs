using System.Net;
using SecureOta.Agent.Tests;
using SecureOta.DeviceSimulator.Device;
using SecureOta.DeviceSimulator.Fleet;
using SecureOta.DeviceSimulator.Model;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// A fleet of 1,000 boards in memory (issue 19; make bench runs 10,000), on SQLite and on PostgreSQL: the real agent, chip emulator
/// and C boot stage (in process) on every board, against the real server, through a rollout in three
/// waves. Every board updates, every wave opens in order, and the run reports its rate and memory.
/// </summary>
public class FleetScaleTests : IAsyncLifetime
{
    private const int Boards = 1000;
    private readonly AgentRig _vendor = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-scale-").FullName;
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture(100_000, Database(), _vendor.VendorKey);
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

    [Fact]
    public async Task AThousandBoards_UpdateThroughThreeWaves_InMemory()
    {
        var bootsim = BootStage.Locate() ?? throw new InvalidOperationException("out/bin/bootsim is missing: run 'make build' first");
        var boards = new Provisioner(bootsim).ProvisionInMemory(new Provisioner.Request(_dir, Boards, "big-", _vendor.VendorKey.ExportSubjectPublicKeyInfoPem(),
            _vendor.MasterSecret, _vendor.VendorId, _vendor.ClassId, "1.0.0", 16 * 1024));
        await Provisioner.Register(_server.Admin, boards);
        var digest = await _server.Upload(_vendor.DataSet(SimFirmware.Build("1.1.0", 24 * 1024, 3), 1, encrypt: true));
        using (var created = await _server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest, errorThreshold = 10, waves = new[] { 5, 30, 100 }, successThreshold = 90 }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var report = await Task.Run(() => new FleetRunner(bootsim, new Esp32Model()).Run(boards, _server.BaseUrl.TrimEnd('/'),
            new FleetOptions { PollDelay = TimeSpan.FromMilliseconds(5), Timeout = TimeSpan.FromMinutes(6), Parallelism = 16, MaxFailedAttempts = 6 },
            FaultPlan.Parse("none"), TextWriter.Null, CancellationToken.None));

        Assert.True(report.Updated == Boards, report.Summary());
        Assert.All(report.DeviceResults, d => Assert.Equal(("updated", "1.1.0", 1L), (d.Outcome, d.Version, d.Sequence)));
        Assert.Equal("in process (libbootsim)", report.BootStage);
        Assert.True(report.BoardsPerSecond > 0 && report.PeakMemoryMiB > 0, $"{report.BoardsPerSecond} boards/s, {report.PeakMemoryMiB} MiB");
        Assert.True(report.ModeledBusyMedian <= report.ModeledBusyP90 && report.ModeledBusyP90 <= report.ModeledBusyP99 && report.ModeledBusyP99 <= report.ModeledBusyMax);
        var rollout = Assert.Single((await _server.Admin.GetFromJsonAsync<List<Data.RolloutRow>>("/api/v1/admin/rollouts"))!);
        Assert.Equal("completed", rollout.State);
        Assert.Equal([50, 250, 700], rollout.Waves.Select(w => w.Devices));
        Assert.All(rollout.Waves, w => Assert.Equal(w.Devices, w.Confirmed));
        // The waves opened one after the other (each after 90 % of the one before confirmed), then it completed: once each.
        var audit = await _server.Admin.GetStringAsync("/api/v1/admin/audit");
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(audit, "advance-rollout").Count);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(audit, "complete-rollout"));
        HtmlReportChecks.AssertShows(SecureOta.DeviceSimulator.Report.HtmlReport.Render(report, new Esp32Model()), report);
        Console.WriteLine($"fleet scale: {Boards} boards in {report.HostWallSeconds} s, {report.BoardsPerSecond} boards/s, peak {report.PeakMemoryMiB} MiB");
    }
}

/// <summary>The same thousand boards with the server's state in a real PostgreSQL (started by the test run).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresFleetScaleTests(PostgresServer postgres) : FleetScaleTests
{
    protected override string? Database() => postgres.NewDatabase();
}

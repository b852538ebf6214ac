using System.Net;
using SecureOta.Agent.Tests;
using SecureOta.ChipEmulator;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>What the dashboard reads: the page itself (no foreign origin allowed), the event stream and the failure list, admin only.</summary>
public sealed class DashboardApiTests : ServerTest
{

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/dashboard.js", "text/javascript")]
    [InlineData("/dashboard.css", "text/css")]
    public async Task ThePageIsServedWithAPolicyThatAllowsOnlyThisServer(string path, string type)
    {
        var r = await Server.Anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.StartsWith(type, r.Content.Headers.ContentType!.ToString());
        var csp = r.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("http", csp);
    }

    [Theory]
    [InlineData("/api/v1/admin/events")]
    [InlineData("/api/v1/admin/failures")]
    public async Task EventsAndFailures_NeedTheAdminToken(string path)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Anonymous.GetAsync(path)).StatusCode);
        using var wrong = new HttpClient { BaseAddress = new Uri(Server.BaseUrl) };
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task TheEventStream_AnnouncesARegistration()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await Server.Admin.GetAsync("/api/v1/admin/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal("retry: 2000", await reader.ReadLineAsync(timeout.Token));

        await Server.RegisterDevice("live-1", Rig);
        string? line;
        while ((line = await reader.ReadLineAsync(timeout.Token)) is not null && !line.StartsWith("data: ", StringComparison.Ordinal)) { }
        Assert.Equal("data: {\"kind\":\"device\",\"subject\":\"live-1\"}", line);
    }

    [Fact]
    public async Task Failures_ListTheNewestFailedReportsWithTheirReasons()
    {
        Assert.Equal("[]", await Server.Admin.GetStringAsync("/api/v1/admin/failures"));
        await Server.RegisterDevice("f1", Rig);
        var device = Device("f1");
        Assert.True(device.CheckIn(6, "1.6.0", "idle", new SecureOta.Agent.Update.Api.UpdateOffer[1]));
        Assert.True(device.Report("failed", 7, 1, 8, "bad signature"));
        Assert.True(device.Report("confirmed", 6, 0, 0, "running 1.6.0"));

        var failures = await Server.Admin.GetFromJsonAsync<List<Data.ReportRow>>("/api/v1/admin/failures?limit=5");
        var f = Assert.Single(failures!);
        Assert.Equal(("f1", "failed", 7L, 1, 8, "bad signature"), (f.Device, f.State, f.Sequence, f.Failure, f.Code, f.Message));
    }

    [Fact]
    public async Task ADevicesHistory_IsEveryReportItSent_OldestFirst_AndAnUnknownDeviceIs404()
    {
        await Server.RegisterDevice("hist-1", Rig);
        Assert.Empty((await Server.Admin.GetFromJsonAsync<List<Data.ReportRow>>("/api/v1/admin/devices/hist-1/reports"))!);
        var device = Device("hist-1");
        Assert.True(device.CheckIn(6, "1.6.0", "idle", new SecureOta.Agent.Update.Api.UpdateOffer[1]));
        Assert.True(device.Report("downloading", 7, 0, 0, "downloading 1000 bytes"));
        Assert.True(device.Report("failed", 7, 1, 8, "bad signature"));
        Assert.True(device.Report("downloading", 7, 0, 0, "again"));

        var history = (await Server.Admin.GetFromJsonAsync<List<Data.ReportRow>>("/api/v1/admin/devices/hist-1/reports"))!;
        Assert.Equal([("downloading", "downloading 1000 bytes"), ("failed", "bad signature"), ("downloading", "again")], history.Select(r => (r.State, r.Message)));
        Assert.All(history, r => Assert.Equal(("hist-1", 7L), (r.Device, r.Sequence)));
        Assert.Equal(HttpStatusCode.NotFound, (await Server.Admin.GetAsync("/api/v1/admin/devices/nobody/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Anonymous.GetAsync("/api/v1/admin/devices/hist-1/reports")).StatusCode);
    }
}

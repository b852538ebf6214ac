using System.Net;
using SecureOta.Agent.Update.Api;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>/metrics in the Prometheus text format, behind the admin token (issue 15).</summary>
public sealed class MetricsTests : ServerTest
{
    [Fact]
    public async Task Metrics_NeedTheAdminToken()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Anonymous.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task Metrics_CountCheckInsAndShowTheFleetByState()
    {
        await Server.RegisterDevice("dev-1", Rig);
        await Server.RegisterDevice("dev-2", Rig);
        var before = await Server.Admin.GetStringAsync("/metrics");
        Assert.Equal(2, PrometheusText.Value(before, "secureota_devices{state=\"registered\"}"));
        var device = Device("dev-1");
        Assert.True(await Task.Run(() => device.CheckIn(0, "1.0.0", "idle", new UpdateOffer[1])), device.Error);
        Assert.True(await Task.Run(() => device.Report("failed", 7, 3, 17, "image digest mismatch")), device.Error);
        var after = await Server.Admin.GetStringAsync("/metrics");
        Assert.Equal(1, PrometheusText.Value(after, "secureota_checkins_total"));
        Assert.Equal(1, PrometheusText.Value(after, "secureota_devices{state=\"registered\"}")); // dev-1 left it
        Assert.Equal(1, PrometheusText.Value(after, "secureota_reports_total{state=\"failed\"}"));
        Assert.Equal(1, PrometheusText.Value(after, "secureota_failures_total{failure=\"3\"}"));
        Assert.Contains("http_request_duration_seconds", after);
        Assert.DoesNotContain(ServerFixture.AdminToken, after);
    }

    [Fact]
    public async Task Metrics_ShowTheJitWorkOfTheServersProcess()
    {
        // The server runs in this process, so its gauge lies between the counts read around the scrape.
        long before = System.Runtime.JitInfo.GetCompiledMethodCount();
        var text = await Server.Admin.GetStringAsync("/metrics");
        long after = System.Runtime.JitInfo.GetCompiledMethodCount();
        var methods = PrometheusText.Value(text, SecureOta.UpdateServer.Api.ServerMetrics.JitMethodsMetric);
        Assert.InRange(methods, before, after);
        Assert.True(PrometheusText.Value(text, "dotnet_jit_compilation_seconds") > 0);
    }
}

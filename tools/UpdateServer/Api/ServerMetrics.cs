using Prometheus;
using SecureOta.UpdateServer.Data;

namespace SecureOta.UpdateServer.Api;

/// <summary>
/// The server's Prometheus metrics at /metrics (text exposition format, prometheus-net; issue 15), behind
/// the admin token like every admin request (Prometheus sends it with `authorization: {credentials: …}`).
/// Counters are counted where the event happens; the fleet by state and rollout progress are read from
/// the store when scraped, so every replica reports the same fleet. Request latency per endpoint comes
/// from prometheus-net's ASP.NET Core middleware. Chosen over OpenTelemetry's exporter because its only
/// Prometheus exporter here is a beta.
/// </summary>
public sealed class ServerMetrics
{
    public const string Path = "/metrics";

    public const string JitMethodsMetric = "dotnet_jit_compiled_methods";

    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly Counter _checkIns;
    private readonly Counter _reports;
    private readonly Counter _downloads;
    private readonly Counter _failures;

    public ServerMetrics(ServerStore store)
    {
        var factory = Metrics.WithCustomRegistry(_registry);
        _checkIns = factory.CreateCounter("secureota_checkins_total", "Signed check-ins accepted.");
        _reports = factory.CreateCounter("secureota_reports_total", "Status reports accepted, by state.", "state");
        _downloads = factory.CreateCounter("secureota_downloads_total", "Artifact downloads served by this server (Range requests included).");
        _failures = factory.CreateCounter("secureota_failures_total", "Failed or reverted reports, by the agent's failure kind.", "failure");
        var devices = factory.CreateGauge("secureota_devices", "Registered devices by their last known state.", "state");
        var rollouts = factory.CreateGauge("secureota_rollout_devices", "Devices of each running or finished rollout, by outcome.", "rollout", "outcome");
        // The runtime's JIT work (System.Runtime.JitInfo): a server still compiling its hot paths (tier-0 to
        // tier-1 goes on for seconds after start) serves slower than it will; a flat count says it is warm.
        var jitMethods = factory.CreateGauge(JitMethodsMetric, "Methods the .NET JIT has compiled in this process (every tier).");
        var jitSeconds = factory.CreateGauge("dotnet_jit_compilation_seconds", "Time this process has spent in the .NET JIT.");
        _registry.AddBeforeCollectCallback(() =>
        {
            jitMethods.Set(System.Runtime.JitInfo.GetCompiledMethodCount());
            jitSeconds.Set(System.Runtime.JitInfo.GetCompilationTime().TotalSeconds);
            // A state no device is in any more reads 0, not its last count.
            foreach (var labels in devices.GetAllLabelValues()) devices.WithLabels(labels).Set(0);
            foreach (var group in store.Devices().GroupBy(d => d.State)) devices.WithLabels(group.Key).Set(group.Count());
            foreach (var r in store.Rollouts.List())
            {
                rollouts.WithLabels(r.Id.ToString(), "devices").Set(r.Devices);
                rollouts.WithLabels(r.Id.ToString(), "confirmed").Set(r.Confirmed);
                rollouts.WithLabels(r.Id.ToString(), "failed").Set(r.Failed);
            }
        });
    }

    public CollectorRegistry Registry => _registry;

    public void CheckIn() => _checkIns.Inc();

    public void Report(string state, int failure)
    {
        _reports.WithLabels(state).Inc();
        if (state is "failed" or "reverted") _failures.WithLabels(failure.ToString()).Inc();
    }

    public void Download() => _downloads.Inc();
}

using System.Threading.RateLimiting;
using SecureOta.UpdateServer.Api;
using SecureOta.UpdateServer.Artifacts;
using SecureOta.UpdateServer.Dashboard;
using SecureOta.UpdateServer.Data;

namespace SecureOta.UpdateServer;

/// <summary>Builds the server: storage, artifact store, the device, admin and download APIs, the dashboard.</summary>
public static class ServerApp
{
    public static WebApplication Build(WebApplicationBuilder builder, ServerOptions options, out string? newAdminToken)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxUploadBytes);
        // Per-device limit on the device API, partitioned by the device id in the path, so one noisy
        // (or impersonated) id cannot starve the others.
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(DeviceEndpoints.RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Request.RouteValues["id"]?.ToString() ?? "",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.DeviceRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        // One OpenAPI document per API, served at /openapi/device.json and /openapi/admin.json.
        foreach (var api in new[] { "device", "admin" })
            builder.Services.AddOpenApi(api, o => o.ShouldInclude = d => d.GroupName == api);
        var app = builder.Build();
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json");
        var store = ServerStore.Open(options.DataDirectory, options.Database, options.Time);
        app.Lifetime.ApplicationStopped.Register(store.Dispose);
        newAdminToken = store.EnsureAdminToken(options.AdminToken);
        var artifacts = new ArtifactStore(options.DataDirectory);
        var changes = new ChangeFeed();
        DeviceEndpoints.Map(app, store, options, changes);
        AdminEndpoints.Map(app, store, artifacts, options, changes);
        ArtifactEndpoints.Map(app, artifacts);
        return app;
    }
}

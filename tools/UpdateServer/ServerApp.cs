using SecureOta.UpdateServer.Api;
using SecureOta.UpdateServer.Artifacts;
using SecureOta.UpdateServer.Dashboard;
using SecureOta.UpdateServer.Data;
using Prometheus;
using SecureOta.UpdateServer.Security;

namespace SecureOta.UpdateServer;

/// <summary>Builds the server: storage, artifact store, the device, admin and download APIs, the dashboard.</summary>
public static class ServerApp
{
    /// <summary>The PostgreSQL channel the replicas' change notices travel on.</summary>
    public const string ChangesChannel = "secure_ota_changes";

    public static WebApplication Build(WebApplicationBuilder builder, ServerOptions options, out string? newAdminToken)
    {
        builder.Logging.ClearProviders();
        if (options.JsonLogs) builder.Logging.AddJsonConsole(o => o.IncludeScopes = false); // structured: one JSON object a line
        else builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        // ASP.NET Core's own per-request lines (request starting/finished, endpoint executing) at
        // Information cost more than serving a small download; they are kept at Warning unless the
        // operator asks (Logging__LogLevel__Microsoft.AspNetCore=Information).
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null)
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes;
            // TLS 1.2 and 1.3 only: what the boards' mbedTLS negotiates (HttpWebRequest with SslProtocols.Tls12).
            if (options.Certificate is { } certificate)
                k.ConfigureHttpsDefaults(h =>
                {
                    h.ServerCertificate = certificate;
                    h.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13;
                });
        });
        // The device API is limited per source address first; a device's own limit is applied after it
        // authenticated (DeviceLimits), never by the unauthenticated id in the path.
        builder.Services.AddRateLimiter(limiter => DeviceLimits.AddSourcePolicy(limiter, options));
        // One OpenAPI document per API, served at /openapi/device.json and /openapi/admin.json.
        foreach (var api in new[] { "device", "admin" })
            builder.Services.AddOpenApi(api, o => o.ShouldInclude = d => d.GroupName == api);
        var app = builder.Build();
        var store = ServerStore.Open(options.DataDirectory, options.Database, options.Time);
        app.Lifetime.ApplicationStopped.Register(store.Dispose);
        var limits = new DeviceLimits(options);
        app.Lifetime.ApplicationStopped.Register(limits.Dispose);
        if (options.TrustedProxies.Count > 0)
        {
            // ASP.NET Core's forwarded-headers middleware, believing only the configured balancers (its
            // defaults trust loopback; cleared so a board on this host cannot claim another address), one hop.
            var forwarded = new Microsoft.AspNetCore.Builder.ForwardedHeadersOptions
            {
                ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
                ForwardLimit = 1,
            };
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var proxy in options.TrustedProxies) forwarded.KnownProxies.Add(proxy);
            app.UseForwardedHeaders(forwarded);
        }
        RequestGate.Use(app, store.IsAdmin, options);
        var metrics = new ServerMetrics(store);
        app.UseRouting();
        app.UseHttpMetrics(o => o.SetMetricFactory(Metrics.WithCustomRegistry(metrics.Registry))); // request latency histogram per endpoint
        app.UseRateLimiter();
        app.MapOpenApi("/openapi/{documentName}.json");
        newAdminToken = store.EnsureAdminToken(options.AdminToken);
        var artifacts = new ArtifactStore(options.DataDirectory);
        var payloads = ArtifactStore.ForPayloads(options.DataDirectory);
        var changes = new ChangeFeed();
        if (options.Database is { } connection)
        {
            // Replicas on one PostgreSQL: every dashboard stream hears every replica's notices.
            var listener = new SecureOta.UpdateServer.Storage.Postgres.PostgresListener(connection, ChangesChannel, changes.Deliver);
            app.Lifetime.ApplicationStopping.Register(listener.Dispose);
            changes.RelayThrough(notice => store.Notify(ChangesChannel, notice));
        }
        DeviceEndpoints.Map(app, store, options, changes, limits, metrics);
        AdminEndpoints.Map(app, store, artifacts, payloads, options, changes);
        ArtifactEndpoints.Map(app, artifacts, payloads, metrics);
        app.MapMetrics(ServerMetrics.Path, metrics.Registry).ExcludeFromDescription();
        return app;
    }
}

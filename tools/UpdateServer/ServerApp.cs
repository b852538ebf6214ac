using SecureOta.UpdateServer.Api;
using SecureOta.UpdateServer.Artifacts;
using SecureOta.UpdateServer.Data;

namespace SecureOta.UpdateServer;

/// <summary>Builds the server: storage, artifact store, the three APIs.</summary>
public static class ServerApp
{
    public static WebApplication Build(WebApplicationBuilder builder, ServerOptions options, out string? newAdminToken)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxUploadBytes);
        var app = builder.Build();
        var store = new ServerStore(options.DataDirectory, TimeProvider.System);
        app.Lifetime.ApplicationStopped.Register(store.Dispose);
        newAdminToken = store.EnsureAdminToken(options.AdminToken);
        var artifacts = new ArtifactStore(options.DataDirectory);
        DeviceEndpoints.Map(app, store, options);
        AdminEndpoints.Map(app, store, artifacts, options);
        ArtifactEndpoints.Map(app, artifacts);
        return app;
    }
}

namespace SecureOta.UpdateServer.Security;

/// <summary>
/// Runs before any endpoint binds its parameters (issue 17, S1): the admin API's (and /metrics') bearer token is checked
/// before a byte of the body is read (an unauthenticated request gets 401 whatever it sends), and each
/// API gets its own body limit (data-set and payload uploads the configured maximum, other admin requests 64 KiB,
/// device requests 4 KiB), so no caller can make the server buffer more than an endpoint needs.
/// </summary>
public static class RequestGate
{
    public const string AdminPrefix = "/api/v1/admin";
    public const string DevicePrefix = "/api/v1/devices";
    public const string UploadPath = "/api/v1/admin/datasets";
    public const string PayloadUploadPath = "/api/v1/admin/payloads";

    public static void Use(WebApplication app, Func<string?, bool> isAdmin, ServerOptions options)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            long? limit = null;
            if (path.StartsWithSegments(AdminPrefix) || path.StartsWithSegments(Api.ServerMetrics.Path))
            {
                if (!isAdmin(Api.DeviceEndpoints.Bearer(context.Request)))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }
                limit = path.StartsWithSegments(UploadPath) || path.StartsWithSegments(PayloadUploadPath) ? options.MaxUploadBytes : options.AdminBodyBytes;
            }
            else if (path.StartsWithSegments(DevicePrefix))
            {
                limit = options.DeviceBodyBytes;
            }
            if (limit is { } l)
            {
                if (context.Request.ContentLength > l)
                {
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    return;
                }
                var feature = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
                if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = l;
            }
            await next(context);
        });
    }
}

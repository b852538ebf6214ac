using Microsoft.Net.Http.Headers;
using SecureOta.UpdateServer.Artifacts;

namespace SecureOta.UpdateServer.Api;

/// <summary>
/// Data-set and detached-payload downloads: ASP.NET Core's range processing (206, 416, If-Range) with a
/// strong ETag that is the content digest, so a resumed download can never splice two artifacts
/// (RFC 9110 13.1.5). Payloads are at /payloads/{sha256}, the path `update-tool create --payload-uri
/// https://HOST/payloads/{sha256}` names.
/// </summary>
public static class ArtifactEndpoints
{
    public const string PayloadPath = "/payloads/";

    public static void Map(WebApplication app, ArtifactStore artifacts, ArtifactStore payloads, ServerMetrics metrics)
    {
        Serve(app, "/artifacts/{digest}", artifacts, new ArtifactCache(), metrics);
        Serve(app, PayloadPath + "{digest}", payloads, new ArtifactCache(), metrics);
    }

    private static void Serve(WebApplication app, string pattern, ArtifactStore store, ArtifactCache cache, ServerMetrics metrics) =>
        app.MapGet(pattern, (string digest, HttpContext context) =>
        {
            if (!store.Exists(digest)) return Results.NotFound();
            metrics.Download();
            var tag = new EntityTagHeaderValue($"\"{digest}\"");
            var bytes = cache.Get(digest, store.PathOf(digest));
            if (bytes is not null) context.Response.Body = new RecordSizedBody(context.Response.BodyWriter);
            return bytes is not null
                ? Results.Bytes(bytes, "application/octet-stream", entityTag: tag, enableRangeProcessing: true)
                : Results.File(store.PathOf(digest), "application/octet-stream", entityTag: tag, enableRangeProcessing: true);
        }).WithGroupName("device");
}

using Microsoft.Net.Http.Headers;
using SecureOta.UpdateServer.Artifacts;

namespace SecureOta.UpdateServer.Api;

/// <summary>
/// Data-set downloads: ASP.NET Core's range processing (206, 416, If-Range) with a strong ETag that
/// is the content digest, so a resumed download can never splice two artifacts (RFC 9110 13.1.5).
/// </summary>
public static class ArtifactEndpoints
{
    public static void Map(WebApplication app, ArtifactStore artifacts, ServerMetrics metrics) =>
        app.MapGet("/artifacts/{digest}", (string digest) =>
        {
            if (!artifacts.Exists(digest)) return Results.NotFound();
            metrics.Download();
            return Results.File(artifacts.PathOf(digest), "application/octet-stream", entityTag: new EntityTagHeaderValue($"\"{digest}\""), enableRangeProcessing: true);
        }).WithGroupName("device");
}

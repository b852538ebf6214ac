using System.Reflection;
using SecureOta.UpdateServer.Data;

namespace SecureOta.UpdateServer.Dashboard;

/// <summary>
/// The dashboard: a static page at / (HTML, script and style embedded in the server: no CDN, no
/// build step) that reads the admin API with the admin token the user types in, and the event
/// stream it listens to for live updates (text/event-stream, admin token required).
/// </summary>
public static class DashboardEndpoints
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private static readonly (string Path, string Resource, string Type)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
        ("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
    ];

    public static void Map(WebApplication app, RouteGroupBuilder admin, ServerStore store, ChangeFeed changes)
    {
        foreach (var (path, resource, type) in Files)
        {
            var bytes = Load(resource);
            app.MapGet(path, (HttpContext context) =>
            {
                // The page runs only our own script and talks only to this server.
                context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.Bytes(bytes, type);
            }).ExcludeFromDescription();
        }

        admin.MapGet("/failures", (int? limit) => Results.Json(store.RecentFailures(Math.Clamp(limit ?? 20, 1, 200))));
        admin.MapGet("/failures/reasons", () => Results.Json(store.FailureReasons()));

        // A typed handler (Task<IResult>), not a bare RequestDelegate, so the admin OpenAPI document lists it (S7).
        admin.MapGet("/events", async Task<IResult> (HttpContext context) =>
        {
            context.Response.Headers.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-store";
            var channel = changes.Subscribe();
            var stop = context.RequestAborted;
            try
            {
                await context.Response.WriteAsync("retry: 2000\n\n", stop);
                await context.Response.Body.FlushAsync(stop);
                while (!stop.IsCancellationRequested)
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
                    wait.CancelAfter(Heartbeat);
                    string frame;
                    try
                    {
                        frame = $"event: change\ndata: {await channel.Reader.ReadAsync(wait.Token)}\n\n";
                    }
                    catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                    {
                        frame = ": heartbeat\n\n"; // keeps proxies from closing an idle stream
                    }
                    await context.Response.WriteAsync(frame, stop);
                    await context.Response.Body.FlushAsync(stop);
                }
            }
            catch (OperationCanceledException)
            {
                // the browser went away
            }
            finally
            {
                changes.Unsubscribe(channel);
            }

            return Results.Empty; // the stream was written above
        }).Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
    }

    private static byte[] Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("dashboard/" + name)
            ?? throw new InvalidOperationException($"the dashboard file {name} is not embedded in the server");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

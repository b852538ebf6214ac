using System.Text.Json;
using SecureOta.Agent.Update.Api;
using SecureOta.Core.Host.Crypto;
using SecureOta.UpdateServer.Data;
using SecureOta.UpdateServer.Dashboard;
using SecureOta.UpdateServer.Security;

namespace SecureOta.UpdateServer.Api;

/// <summary>The device API, docs/device-api.md sections 2-4.</summary>
public static class DeviceEndpoints
{
    private static readonly string[] States = ["idle", "testing", "downloading", "verified", "staged", "installed", "confirmed", "failed", "reverted",
        DeviceApi.StateWaitingConsent, DeviceApi.StateWaitingWindow, DeviceApi.StateChannelBlocked];

    public static void Map(WebApplication app, ServerStore store, ServerOptions options, ChangeFeed changes, DeviceLimits limits, ServerMetrics metrics)
    {
        var group = app.MapGroup("/api/v1/devices/{id}").RequireRateLimiting(DeviceLimits.SourcePolicy).WithGroupName("device");

        // Section 2: the same answer for unknown ids, so the endpoint does not reveal which exist; only a
        // registered device's nonce is stored (rotating ids fill nothing), and storage is bounded.
        group.MapPost("/nonce", (string id) =>
        {
            if (!limits.NonceRequest()) return Results.StatusCode(StatusCodes.Status429TooManyRequests);
            var nonce = store.DeviceCertificate(id) is null ? ServerStore.UnstoredNonce() : store.NewNonce(id, options.NonceLifetime, options.MaxOutstandingNonces);
            if (nonce is null) return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            return Results.Json(new { nonce, expiresIn = (int)options.NonceLifetime.TotalSeconds });
        });

        var freshness = options.ChannelKey is null ? null : new FreshnessSigner(options.ChannelKey);
        group.MapPost("/checkin", async (string id, HttpRequest request) =>
        {
            var body = await ReadJson(request, options.DeviceBodyBytes);
            if (body is null) return Results.BadRequest(new { error = $"the body must be a JSON object of at most {options.DeviceBodyBytes} bytes" });
            var root = body.RootElement;
            if (!TryString(root, "nonce", out var nonce) || !TryString(root, "signature", out var signature) || !TryLong(root, "sequence", out var sequence))
                return Results.BadRequest(new { error = "nonce, signature and sequence are required" });
            TryString(root, "version", out var version);
            if (!TryString(root, "state", out var state) || state is not ("idle" or "testing")) state = "idle";

            var certificate = store.DeviceCertificate(id);
            var nonceBytes = HexOrNull(nonce, 32);
            var sig = HexOrNull(signature, 64);
            // Consume the nonce whatever follows: a nonce is never good twice.
            bool fresh = store.ConsumeNonce(id, nonce);
            if (certificate is null || nonceBytes is null || sig is null || !fresh) return Results.Unauthorized();
            using (var key = DeviceKey.Load(certificate, out _))
            using (var sha = new DotNetSha256())
            {
                if (key is null || !key.VerifyHash(ServerClient.CheckInDigest(sha, id, nonceBytes, sequence), sig)) return Results.Unauthorized();
            }

            if (!limits.DeviceRequest(id)) return Results.StatusCode(StatusCodes.Status429TooManyRequests);

            store.RecordCheckIn(id, sequence, version, state);
            metrics.CheckIn();
            // A board's confirm report can be lost (reports are best effort; a replica may die with one in
            // flight), but an idle check-in, whose sequence is the chip's anti-rollback counter and signed
            // by the chip, proves that sequence confirmed: its rollout counts the board, so a lost report
            // never stalls a wave.
            if (state == "idle" && sequence > 0 && !store.HasReport(id, sequence, "confirmed") && store.Rollouts.IsRunningFor(id, sequence))
                ApplyReport(id, "confirmed", sequence, 0, 0, $"inferred from the chip-signed check-in at sequence {sequence}: the board's confirm report did not arrive");
            // The health check's check-in (state "testing" at the new image's sequence) is the board's word that
            // the boot stage installed that image and it runs under test: the agent sends no separate "installed"
            // report (a request less per update), the server records it here, once per install (a retried
            // health check finds it recorded already).
            if (state == "testing" && sequence > 0 && store.History(id, 1) is var last && !(last.Count == 1 && last[0].State == "installed" && last[0].Sequence == sequence))
                ApplyReport(id, "installed", sequence, 0, 0, $"installed by the boot stage; running {(version.Length > 64 ? version[..64] : version)} under test (the health check's chip-signed check-in)");
            var offered = state == "idle" ? store.Rollouts.OfferFor(id, sequence) : null;
            changes.Publish("device", id);
            var baseUrl = options.ArtifactBaseUrl ?? $"{request.Scheme}://{request.Host}";
            var offer = offered?.DataSet;
            return Results.Json(new
            {
                token = store.NewToken(id, options.TokenLifetime),
                pollSeconds = options.PollSeconds,
                update = offer is null ? null : new
                {
                    url = $"{baseUrl.TrimEnd('/')}/artifacts/{offer.Digest}", size = offer.Size, sequence = offer.Sequence, version = offer.Version,
                    install = Install(offered!.Install),
                },
                freshness = Freshness(id, root),
            });
        });

        group.MapPost("/status", async (string id, HttpRequest request) =>
        {
            var token = Bearer(request);
            if (store.TokenDevice(token) != id) return Results.Unauthorized();
            if (!limits.DeviceRequest(id)) return Results.StatusCode(StatusCodes.Status429TooManyRequests);
            var body = await ReadJson(request, options.DeviceBodyBytes);
            if (body is null) return Results.BadRequest(new { error = $"the body must be a JSON object of at most {options.DeviceBodyBytes} bytes" });
            var root = body.RootElement;
            if (!TryString(root, "state", out var state) || !States.Contains(state) || !TryLong(root, "sequence", out var sequence))
                return Results.BadRequest(new { error = "state (one of " + string.Join(", ", States) + ") and sequence are required" });
            TryLong(root, "failure", out var failure);
            TryLong(root, "code", out var code);
            TryString(root, "message", out var message);
            ApplyReport(id, state, sequence, (int)failure, (int)code, message.Length > 500 ? message[..500] : message);
            return Results.NoContent();
        });

        // Section 3a: the statement over the board's own nonce, when it sent one and the server has a channel key.
        object? Freshness(string id, JsonElement root)
        {
            if (freshness is null || !TryString(root, "channelNonce", out var hex) || HexOrNull(hex, FreshnessStatement.NonceLength) is not { } nonce) return null;
            var newest = store.Rollouts.NewestReleasedFor(id);
            var (payload, signature) = freshness.Sign(nonce, id, newest, options.Time.GetUtcNow().ToUnixTimeSeconds());
            return new { payload, signature };
        }

        // A report stored and applied to its rollouts (waves, completion, halting) with each change audited,
        // in one transaction: a process killed in between leaves neither, never a stored confirmation whose
        // wave step is lost (the replica test found that stall); then counted and announced.
        void ApplyReport(string id, string state, long sequence, int failure, int code, string? message)
        {
            var changed = store.InTransaction(() =>
            {
                store.RecordReport(id, state, sequence, failure, code, message);
                var events = store.Rollouts.OnReport(id, sequence, state);
                foreach (var change in events)
                {
                    int space = change.IndexOf(' ');
                    store.Audit(change[..space], change[(space + 1)..] + (failure != 0 ? $" [{failure}/{code}]" : ""));
                }
                return events;
            });
            metrics.Report(state, failure);
            foreach (var change in changed) changes.Publish("rollout", change);
            changes.Publish("device", id);
        }
    }

    // Section 3: update.install; automatic is sent as such so every board sees the policy it follows.
    private static object Install(InstallRow p) => p.Policy == "window"
        ? new { policy = p.Policy, windowStart = p.WindowStart, windowEnd = p.WindowEnd, deadline = p.Deadline }
        : new { policy = p.Policy };

    public static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header[7..] : null;
    }

    // The body limit is the one Security/RequestGate enforces for the device API (ServerOptions.DeviceBodyBytes).
    private static async Task<JsonDocument?> ReadJson(HttpRequest request, long limit)
    {
        if (request.ContentLength > limit) return null;
        int maxBodyBytes = (int)limit;
        var buffer = new byte[maxBodyBytes + 1];
        int total = 0, n;
        while (total < buffer.Length && (n = await request.Body.ReadAsync(buffer.AsMemory(total))) > 0) total += n;
        if (total > maxBodyBytes) return null;
        try
        {
            var doc = JsonDocument.Parse(buffer.AsMemory(0, total));
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryString(JsonElement o, string name, out string value)
    {
        value = "";
        if (!o.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.String) return false;
        try
        {
            value = e.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return false; // a lone surrogate escape (\ud800) or invalid UTF-8 in the string: not text (S4)
        }
        return true;
    }

    private static bool TryLong(JsonElement o, string name, out long value)
    {
        value = 0;
        return o.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out value);
    }

    private static byte[]? HexOrNull(string hex, int length)
    {
        if (hex.Length != length * 2) return null;
        try { return Convert.FromHexString(hex); } catch (FormatException) { return null; }
    }
}

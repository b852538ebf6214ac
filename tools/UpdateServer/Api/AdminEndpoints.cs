using SecureOta.UpdateServer.Artifacts;
using SecureOta.UpdateServer.Data;
using SecureOta.UpdateServer.Dashboard;

namespace SecureOta.UpdateServer.Api;

/// <summary>The admin API (bearer token): devices, data sets, detached payloads, rollouts, audit log.</summary>
public static class AdminEndpoints
{
    public sealed record RegisterDevice(string? Id, string? ClassId, string? Certificate, string? PublicKey);
    public sealed record CreateRollout(string? Digest, int? ErrorThreshold, int[]? Waves, int? SuccessThreshold, InstallRequest? Install);

    /// <summary>A rollout's install policy as an admin gives it (docs/update-server.md, "Install policies").</summary>
    public sealed record InstallRequest(string? Policy, int? WindowStart, int? WindowEnd, long? Deadline);

    public static void Map(WebApplication app, ServerStore store, ArtifactStore artifacts, ArtifactStore payloads, ServerOptions options, ChangeFeed changes)
    {
        // The admin token is checked for every path under this prefix by Security/RequestGate, before any
        // parameter is bound (an endpoint filter would run after the body was read: issue 17, S1).
        var admin = app.MapGroup(Security.RequestGate.AdminPrefix).WithGroupName("admin");
        DashboardEndpoints.Map(app, admin, store, changes);

        admin.MapPost("/devices", (RegisterDevice r) =>
        {
            if (!DeviceIds.IsValid(r.Id))
                return Results.BadRequest(new { error = DeviceIds.Rule });
            if (r.ClassId is null || r.ClassId.Length != 32 || !r.ClassId.All(Uri.IsHexDigit))
                return Results.BadRequest(new { error = "classId: the 16-byte class id as 32 hex digits (update-tool inspect prints it)" });
            if ((r.Certificate is null) == (r.PublicKey is null))
                return Results.BadRequest(new { error = "give exactly one of certificate (base64 DER of the chip's device certificate, OID 0xE0E1) or publicKey (base64 DER SubjectPublicKeyInfo of the chip's device key)" });
            var field = r.Certificate is null ? "publicKey" : "certificate";
            byte[] der;
            try
            {
                der = Convert.FromBase64String(r.Certificate ?? r.PublicKey!);
            }
            catch (FormatException)
            {
                return Results.BadRequest(new { error = $"{field}: not base64" });
            }
            using (var key = DeviceKey.Load(der, out var problem))
                if (key is null) return Results.BadRequest(new { error = $"{field}: {problem}; the device key is P-256 (chip object 0xE0F2, certificate 0xE0E1)" });
            if (!store.RegisterDevice(r.Id, r.ClassId.ToLowerInvariant(), der)) return Results.Conflict(new { error = $"device {r.Id} is already registered" });
            store.Audit("register-device", r.Id);
            changes.Publish("device", r.Id);
            return Results.Created($"/api/v1/admin/devices/{r.Id}", new { id = r.Id });
        });

        admin.MapGet("/devices", () => Results.Json(store.Devices()));

        // A device's history: every report it sent (the newest 500 at most), oldest first.
        admin.MapGet("/devices/{id}/reports", (string id) =>
            store.DeviceCertificate(id) is null ? Results.NotFound(new { error = $"no device {id}" }) : Results.Json(store.History(id, 500)));

        admin.MapPost("/datasets", async (HttpRequest request) =>
        {
            var (bytes, bad) = await ReadBody(request, "the data set file");
            if (bytes is null) return bad!;
            var digest = ArtifactStore.Digest(bytes);
            var (dataSet, error) = UploadVerifier.Verify(bytes, options.VendorKeys, digest, payloads);
            if (dataSet is null) return Results.UnprocessableEntity(new { error });
            artifacts.Put(bytes);
            store.AddDataSet(dataSet);
            store.Audit("upload-dataset", $"{digest} seq {dataSet.Sequence}");
            changes.Publish("dataset", digest);
            return Results.Created($"/artifacts/{digest}", dataSet);
        });

        // A detached payload, stored under its SHA-256 and served at /payloads/{sha256}. Upload it before
        // the data set that names it, so that upload can check size and (plaintext) digest.
        admin.MapPost("/payloads", async (HttpRequest request) =>
        {
            var (bytes, bad) = await ReadBody(request, "the payload file (update-tool create --payload-out)");
            if (bytes is null) return bad!;
            var digest = payloads.Put(bytes);
            store.Audit("upload-payload", $"{digest} {bytes.Length} bytes");
            return Results.Created(ArtifactEndpoints.PayloadPath + digest, new { digest, size = bytes.Length, path = ArtifactEndpoints.PayloadPath + digest });
        });

        admin.MapPost("/rollouts", (CreateRollout r) =>
        {
            var dataSet = r.Digest is null ? null : store.DataSet(r.Digest);
            if (dataSet is null) return Results.NotFound(new { error = "no data set with that digest: upload it first" });
            int threshold = r.ErrorThreshold ?? 1;
            if (threshold < 1) return Results.BadRequest(new { error = "errorThreshold: the number of failed or reverted devices that halts the rollout, at least 1" });
            int success = r.SuccessThreshold ?? 100;
            if (success is < 1 or > 100) return Results.BadRequest(new { error = "successThreshold: the percentage (1..100) of a wave's devices that must confirm before the next wave opens" });
            var waves = r.Waves ?? [100];
            if (RolloutStore.CheckWaves(waves) is { } wrong) return Results.BadRequest(new { error = wrong });
            var (install, invalid) = CheckInstall(r.Install);
            if (invalid is not null) return Results.BadRequest(new { error = invalid });
            var (id, events) = store.Rollouts.Create(dataSet, waves, success, threshold, install);
            store.Audit("create-rollout", $"{id} {dataSet.Digest} waves {string.Join("/", waves)}% successThreshold {success}% errorThreshold {threshold} install {Describe(install!)}");
            foreach (var e in events) store.Audit(e[..e.IndexOf(' ')], e[(e.IndexOf(' ') + 1)..]);
            changes.Publish("rollout", id.ToString());
            return Results.Created($"/api/v1/admin/rollouts/{id}", new { id, digest = dataSet.Digest, classId = dataSet.ClassId, errorThreshold = threshold, successThreshold = success, waves, install });
        });

        admin.MapGet("/rollouts", () => Results.Json(store.Rollouts.List()));
        admin.MapGet("/rollouts/{id:long}/progress", (long id) =>
            store.Rollouts.Progress(id) is { } progress ? Results.Json(progress) : Results.NotFound(new { error = $"no rollout {id}" }));

        // Pause stops new offers and resume restarts them; a halted rollout resumes only by an admin's
        // explicit decision; cancel is final.
        foreach (var (action, to, from) in new[]
        {
            ("pause", "paused", new[] { "running" }),
            ("resume", "running", new[] { "paused", "halted" }),
            ("cancel", "cancelled", new[] { "running", "paused", "halted" }),
        })
        {
            admin.MapPost("/rollouts/{id:long}/" + action, (long id) =>
            {
                if (!store.Rollouts.SetState(id, to, from)) return Results.Conflict(new { error = $"rollout {id} does not exist or cannot be {action}d from its state" });
                store.Audit(action + "-rollout", id.ToString());
                changes.Publish("rollout", id.ToString());
                return Results.Json(new { id, state = to });
            });
        }

        admin.MapGet("/audit", () => Results.Json(store.AuditLog()));
    }

    // The rollout's install policy, checked by the rule the boards apply (InstallPolicy.Check), so the server
    // never stores one a board refuses. Absent: automatic.
    private static (InstallRow? Install, string? Error) CheckInstall(InstallRequest? r)
    {
        if (r is null) return (InstallRow.Automatic, null);
        var policy = new SecureOta.Agent.Update.Flow.InstallPolicy
        {
            Mode = r.Policy ?? "",
            WindowStart = r.WindowStart ?? -1,
            WindowEnd = r.WindowEnd ?? -1,
            Deadline = r.Deadline ?? 0,
        };
        if (policy.Mode != SecureOta.Agent.Update.Flow.InstallPolicy.Window && (r.WindowStart is not null || r.WindowEnd is not null || r.Deadline is not null))
            return (null, "install: windowStart, windowEnd and deadline belong to the window policy");
        if (policy.Check() is { } wrong)
            return (null, $"install: {wrong} (e.g. {{\"policy\":\"window\",\"windowStart\":120,\"windowEnd\":240,\"deadline\":0}})");
        return policy.Mode == SecureOta.Agent.Update.Flow.InstallPolicy.Window
            ? (new InstallRow(policy.Mode, policy.WindowStart, policy.WindowEnd, policy.Deadline), null)
            : (new InstallRow(policy.Mode, 0, 0, 0), null);
    }

    private static string Describe(InstallRow p) =>
        p.Policy == "window" ? $"window {p.WindowStart}-{p.WindowEnd} min deadline {(p.Deadline == 0 ? "never" : p.Deadline)}" : p.Policy;

    // One array of the announced size (bounded above: bodies over options.MaxUploadBytes never get here,
    // Security/RequestGate answers 413), filled once; a body that is shorter is refused.
    private static async Task<(byte[]? Bytes, IResult? Error)> ReadBody(HttpRequest request, string what)
    {
        if (request.ContentLength is null or 0) return (null, Results.BadRequest(new { error = $"send {what} as the request body" }));
        var bytes = new byte[request.ContentLength.Value];
        int total = 0, n;
        while (total < bytes.Length && (n = await request.Body.ReadAsync(bytes.AsMemory(total))) > 0) total += n;
        if (total != bytes.Length) return (null, Results.BadRequest(new { error = $"the body ended after {total} of {bytes.Length} bytes" }));
        return (bytes, null);
    }
}

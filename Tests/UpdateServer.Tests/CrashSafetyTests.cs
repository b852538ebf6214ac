using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using SecureOta.Agent.Tests;
using SecureOta.ChipEmulator;
using SecureOta.UpdateServer.Storage;
using SecureOta.UpdateServer.Storage.Postgres;
using SecureOta.UpdateServer.Storage.Sqlite;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// Issue 15, crash safety: update-server killed with SIGKILL while uploads, rollout creations and rollout
/// state changes run in parallel, several times over, on SQLite and on PostgreSQL. After each kill the
/// state must be an old one or a new one, never half: every stored data set has its artifact and every
/// artifact hashes to its name; every rollout names a stored data set and has exactly its class's devices
/// assigned (one transaction); the server restarts on the same state and serves on (an upload is accepted).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CrashSafetyTests(PostgresServer postgres, Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const int Devices = 12, Kills = 4;
    private readonly string _dir = Directory.CreateTempSubdirectory("server-crash-").FullName;
    private readonly AgentRig _rig = new();
    private const string Token = "crash-safety-admin-token";

    public void Dispose()
    {
        _rig.Dispose();
        Directory.Delete(_dir, true);
    }

    private string Data => Path.Combine(_dir, "data");

    private async Task<(Process Process, HttpClient Admin)> StartServer(string? db)
    {
        var pem = Path.Combine(_dir, "vendor.pub.pem");
        File.WriteAllText(pem, _rig.VendorKey.ExportSubjectPublicKeyInfoPem());
        var p = ServerCommand.Start(["--data", Data, "--urls", "http://127.0.0.1:0", "--vendor-key", pem, .. db is null ? Array.Empty<string>() : ["--db", db]],
            new Dictionary<string, string> { ["UPDATE_SERVER_ADMIN_TOKEN"] = Token });
        var admin = new HttpClient { BaseAddress = new Uri(await ServerCommand.ListeningUrl(p, "http")), Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return (p, admin);
    }

    private IDatabase OpenDatabase(string? db) => db is null ? SqliteDatabase.Open(Path.Combine(Data, "update-server.db")) : PostgresDatabase.Open(db);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AServerKilledMidWork_RestartsOnAWholeState_AndServesOn(string dialect)
    {
        var db = dialect == "postgres" ? postgres.NewDatabase() : null;
        var classHex = Convert.ToHexString(_rig.ClassId).ToLowerInvariant();
        var certificate = Convert.ToBase64String(_rig.ChipState.Objects[ChipState.OidDeviceCert].Data);
        var random = new Random(15);
        long sequence = 1;

        var (server, admin) = await StartServer(db);
        for (int i = 0; i < Devices; i++)
            (await admin.PostAsJsonAsync("/api/v1/admin/devices", new { id = $"dev-{i}", classId = classHex, certificate })).EnsureSuccessStatusCode();

        for (int kill = 0; kill < Kills; kill++)
        {
            // Work in parallel: uploads of ~0.5 MiB data sets, a rollout for each, pauses and resumes.
            using var stop = new CancellationTokenSource();
            var work = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    long seq = Interlocked.Increment(ref sequence);
                    var dataSet = _rig.DataSet(AgentRig.Image(512 * 1024, (int)seq), seq);
                    using var up = await admin.PostAsync("/api/v1/admin/datasets", new ByteArrayContent(dataSet), stop.Token);
                    var digest = Convert.ToHexString(SHA256.HashData(dataSet)).ToLowerInvariant();
                    using var ro = await admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest, waves = new[] { 50, 100 } }, stop.Token);
                    using var pause = await admin.PostAsync($"/api/v1/admin/rollouts/{w + 1}/pause", null, stop.Token);
                    using var resume = await admin.PostAsync($"/api/v1/admin/rollouts/{w + 1}/resume", null, stop.Token);
                }
            })).ToArray();
            await Task.Delay(300 + random.Next(900));
            server.Kill(entireProcessTree: true); // SIGKILL: no shutdown handler runs
            server.WaitForExit(10_000);
            server.Dispose();
            stop.Cancel();
            foreach (var t in work)
                try { await t; } catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException) { }
            admin.Dispose();

            AssertWholeState(db, classHex);
            (server, admin) = await StartServer(db);
            // Serves on: a new upload is accepted on the restarted server.
            long next = Interlocked.Increment(ref sequence);
            using var after = await admin.PostAsync("/api/v1/admin/datasets", new ByteArrayContent(_rig.DataSet(AgentRig.Image(4096, (int)next), next)));
            Assert.Equal(System.Net.HttpStatusCode.Created, after.StatusCode);
        }
        server.Kill(entireProcessTree: true);
        server.WaitForExit(10_000);
        server.Dispose();
        admin.Dispose();
        AssertWholeState(db, classHex);
    }

    [Fact]
    public void TemporaryFilesOfADeadWriter_AreRemovedAtStart_YoungOnesAreLeftToTheirWriter()
    {
        var folder = Path.Combine(Data, "artifacts");
        Directory.CreateDirectory(folder);
        var old = Path.Combine(folder, new string('a', 64) + ".suit.0123.tmp");
        var young = Path.Combine(folder, new string('b', 64) + ".suit.4567.tmp");
        File.WriteAllBytes(old, [1, 2, 3]);
        File.WriteAllBytes(young, [4, 5, 6]);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow - Artifacts.ArtifactStore.AbandonedAfter - TimeSpan.FromMinutes(1));
        _ = new Artifacts.ArtifactStore(Data);
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(young));
    }

    [Fact]
    public void TheArtifactDirectory_IsSyncedAfterARename()
    {
        Directory.CreateDirectory(Data);
        Assert.Equal(OperatingSystem.IsLinux(), Artifacts.DirectorySync.Sync(Data));
        Assert.Throws<IOException>(() => Artifacts.DirectorySync.Sync(Path.Combine(_dir, "no-such-directory")));
    }

    private void AssertWholeState(string? db, string classHex)
    {
        var artifacts = Path.Combine(Data, "artifacts");
        foreach (var file in Directory.EnumerateFiles(artifacts, "*.suit"))
            Assert.Equal(Path.GetFileNameWithoutExtension(file), Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))).ToLowerInvariant());
        using var database = OpenDatabase(db);
        var stored = database.Query("SELECT digest, size FROM datasets").Select(r => (string)r[0]!).ToList();
        Assert.NotEmpty(stored);
        foreach (var digest in stored)
            Assert.True(File.Exists(Path.Combine(artifacts, digest + ".suit")), $"data set {digest} is stored but its artifact is missing");
        int devices = database.Query("SELECT id FROM devices WHERE class_id = @c", ("@c", classHex)).Count;
        output.WriteLine($"after a kill: {stored.Count} data sets, {database.Query("SELECT id FROM rollouts").Count} rollouts, {Directory.EnumerateFiles(artifacts, "*.tmp").Count()} temporary files left");
        Assert.Equal(Devices, devices);
        foreach (var r in database.Query("SELECT r.id, (SELECT count(*) FROM rollout_devices d WHERE d.rollout = r.id), (SELECT count(*) FROM datasets s WHERE s.digest = r.digest) FROM rollouts r"))
        {
            Assert.True(Convert.ToInt64(r[1]) == devices, $"rollout {r[0]} has {r[1]} of the class's {devices} devices: a half-written rollout");
            Assert.Equal(1L, Convert.ToInt64(r[2]));
        }
    }
}

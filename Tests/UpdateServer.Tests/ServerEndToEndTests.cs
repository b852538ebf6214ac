using System.Net;
using System.Security.Cryptography;
using SecureOta.Agent.Tests;
using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Flow;
using SecureOta.Agent.Update.Host.Http;
using SecureOta.Core.Crypto;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// The real agent (host twin, chip emulator, strict flash, the C boot stage) against the real server
/// over loopback HTTP: register, upload, roll out, check in with the chip's signature, download with
/// Range, stage, reboot, confirm, report — and the server's refusals.
/// </summary>
public sealed class ServerEndToEndTests : IAsyncLifetime
{
    private readonly AgentRig _rig = new();
    private ServerFixture _server = null!;
    private readonly HttpClient _device = new() { Timeout = TimeSpan.FromSeconds(30) };
    private string _dir = "";

    public Task InitializeAsync()
    {
        _server = new ServerFixture(_rig.VendorKey);
        _dir = Directory.CreateTempSubdirectory("server-e2e-").FullName;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _rig.Dispose();
        _device.Dispose();
        Directory.Delete(_dir, true);
    }

    private string ClassHex => Convert.ToHexString(_rig.ClassId).ToLowerInvariant();

    private Task Register(string id) => _server.RegisterDevice(id, _rig);

    private async Task<string> UploadAndRollOut(byte[] dataSet)
    {
        var digest = await _server.Upload(dataSet);
        var ro = await _server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest });
        Assert.Equal(HttpStatusCode.Created, ro.StatusCode);
        return digest;
    }

    private UpdateAgent Agent(BootSim boot, string version) => _server.Agent(_rig, _device, boot, version);

    [Fact]
    public async Task AnEncryptedUpdate_GoesFromUploadToConfirmed_OverHttp()
    {
        await Register("dev-1");
        var image = AgentRig.Image(150_000, 70);
        await UploadAndRollOut(_rig.DataSet(image, 7, encrypt: true));
        var boot = new BootSim(_rig, _dir);
        boot.Configure(0);

        Assert.Equal("staged sequence 7, rebooted", await Task.Run(() => Agent(boot, "1.0.0").RunOnce()));
        Assert.Equal("confirmed sequence 7", await Task.Run(() => Agent(boot, "1.7.0").RunOnce()));
        Assert.Equal("up to date at sequence 7", await Task.Run(() => Agent(boot, "1.7.0").RunOnce()));
        Assert.Equal(7, _rig.Driver.ReadCounter(SecurityChip.OidRollbackCounter, out _));

        var devices = await _server.Admin.GetFromJsonAsync<List<Data.DeviceRow>>("/api/v1/admin/devices");
        var device = Assert.Single(devices!);
        // The idle check-in after the confirmation keeps "confirmed": the fleet view shows who is done.
        Assert.Equal(("dev-1", 7L, "1.7.0", "confirmed"), (device.Id, device.Sequence, device.Version, device.State));
        // "installed" comes from the health check's chip-signed check-in (state testing at 7): the agent sends no report for it.
        var history = await _server.Admin.GetFromJsonAsync<List<Data.ReportRow>>("/api/v1/admin/devices/dev-1/reports");
        Assert.Equal(["downloading", "verified", "staged", "installed", "confirmed"], history!.Select(r => r.State));
        Assert.Contains("1.7.0 under test", history![3].Message);
        var deploy = new byte[image.Length];
        _rig.Deploy.Read(0, deploy, 0, deploy.Length);
        Assert.Equal(image, deploy);
    }

    // The device's JSON seam losing the requests whose URL ends with path and whose body has the marker, at
    // most limit of them: before they reach the server (a replica died with a report in flight), or after the
    // server had them (the answer is lost on the way back).
    private sealed class LosingRequests(IJsonHttp inner, string path, string marker, bool serverHasIt, int limit = int.MaxValue) : IJsonHttp
    {
        public int Lost { get; private set; }

        public int Post(string url, string bearer, string json, string[] responseBody, string[] failure)
        {
            bool lose = Lost < limit && url.EndsWith(path, StringComparison.Ordinal) && json.Contains(marker, StringComparison.Ordinal);
            int status = lose && !serverHasIt ? -1 : inner.Post(url, bearer, json, responseBody, failure);
            if (!lose) return status;
            Lost++;
            failure[0] = serverHasIt ? "connection reset after the request (the test drops the answer)" : "connection reset (the test drops it)";
            return -1;
        }
    }

    [Fact]
    public async Task ARetriedHealthCheck_IsRecordedAsInstalledOnce()
    {
        await Register("dev-1");
        await UploadAndRollOut(_rig.DataSet(AgentRig.Image(40_000, 74), 7));
        var boot = new BootSim(_rig, _dir);
        boot.Configure(0);
        // The first health-check check-in reaches the server, its answer does not: the agent retries.
        var json = new LosingRequests(new HttpClientJson(_device), "/checkin", "\"state\":\"testing\"", serverHasIt: true, limit: 1);
        UpdateAgent Agent(string version) => new(new ServerClient(json, _server.BaseUrl, "dev-1", _rig.Driver, new Sha256()),
            _rig.Engine(), new HttpClientRange(_device), new RecordingDelay(), new RebootIntoBootSim(boot), version);

        Assert.Equal("staged sequence 7, rebooted", await Task.Run(() => Agent("1.0.0").RunOnce()));
        Assert.StartsWith("health check failed", await Task.Run(() => Agent("1.7.0").RunOnce()));
        Assert.Equal(1, json.Lost);
        Assert.Equal("confirmed sequence 7", await Task.Run(() => Agent("1.7.0").RunOnce()));
        var history = await _server.Admin.GetFromJsonAsync<List<Data.ReportRow>>("/api/v1/admin/devices/dev-1/reports");
        Assert.Equal(["downloading", "verified", "staged", "installed", "confirmed"], history!.Select(r => r.State));
    }

    [Fact]
    public async Task ALostConfirmReport_IsMadeGoodByTheNextSignedCheckIn_SoTheRolloutCompletes()
    {
        await Register("dev-1");
        await UploadAndRollOut(_rig.DataSet(AgentRig.Image(50_000, 73), 7));
        var boot = new BootSim(_rig, _dir);
        boot.Configure(0);
        UpdateAgent Losing(string version) => new(new ServerClient(new LosingRequests(new HttpClientJson(_device), "/status", "\"state\":\"confirmed\"", serverHasIt: false), _server.BaseUrl, "dev-1", _rig.Driver, new Sha256()),
            _rig.Engine(), new HttpClientRange(_device), new RecordingDelay(), new RebootIntoBootSim(boot), version);

        Assert.Equal("staged sequence 7, rebooted", await Task.Run(() => Losing("1.0.0").RunOnce()));
        Assert.Equal("confirmed sequence 7", await Task.Run(() => Losing("1.7.0").RunOnce()));
        var before = (await _server.Admin.GetFromJsonAsync<List<Data.RolloutRow>>("/api/v1/admin/rollouts"))!.Single();
        Assert.Equal(("running", 0), (before.State, before.Confirmed)); // the report never arrived

        Assert.Equal("up to date at sequence 7", await Task.Run(() => Losing("1.7.0").RunOnce()));
        var after = (await _server.Admin.GetFromJsonAsync<List<Data.RolloutRow>>("/api/v1/admin/rollouts"))!.Single();
        Assert.Equal(("completed", 1), (after.State, after.Confirmed));
        var failures = await _server.Admin.GetStringAsync("/api/v1/admin/audit");
        Assert.Contains("complete-rollout", failures);
    }

    private string PayloadUri(byte[] payload) => _server.BaseUrl + "/payloads/" + Convert.ToHexString(SHA256.HashData(payload)).ToLowerInvariant();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ADetachedPayload_IsFetchedFromItsUri_AfterTheManifestIsVerified(bool encrypt)
    {
        await Register("dev-1");
        var image = AgentRig.Image(90_000, 71);
        var (envelope, payload) = _rig.DetachedDataSet(image, 7, PayloadUri, encrypt);

        // The data set naming a payload this server does not hold yet is refused; uploaded first, it is accepted.
        using (var early = await _server.Admin.PostAsync("/api/v1/admin/datasets", new ByteArrayContent(envelope)))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
            Assert.Contains("upload it first", await early.Content.ReadAsStringAsync());
        }
        using (var up = await _server.Admin.PostAsync("/api/v1/admin/payloads", new ByteArrayContent(payload)))
            Assert.Equal(HttpStatusCode.Created, up.StatusCode);
        await UploadAndRollOut(envelope);
        var boot = new BootSim(_rig, _dir);
        boot.Configure(0);

        Assert.Equal("staged sequence 7, rebooted", await Task.Run(() => Agent(boot, "1.0.0").RunOnce()));
        Assert.Equal("confirmed sequence 7", await Task.Run(() => Agent(boot, "1.7.0").RunOnce()));
        var deploy = new byte[image.Length];
        _rig.Deploy.Read(0, deploy, 0, deploy.Length);
        Assert.Equal(image, deploy);
    }

    [Fact]
    public async Task FirmwareAndApplication_AreUploadedRolledOutAndInstalledTogether()
    {
        await Register("dev-1");
        var firmware = AgentRig.Image(60_000, 74);
        var app = AgentRig.Image(80_000, 75);
        var oldFirmware = AgentRig.Image(30_000, 76);
        _rig.Nanoclr.Erase(0, _rig.Nanoclr.Size);
        _rig.Nanoclr.Write(0, oldFirmware, 0, oldFirmware.Length);
        var envelope = _rig.PairDataSet(firmware, app, 7, c => PayloadUri(c == "nanoclr" ? firmware : app));
        using (var early = await _server.Admin.PostAsync("/api/v1/admin/datasets", new ByteArrayContent(envelope)))
            Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode); /* payloads first */
        foreach (var payload in new[] { firmware, app })
            using (var up = await _server.Admin.PostAsync("/api/v1/admin/payloads", new ByteArrayContent(payload)))
                Assert.Equal(HttpStatusCode.Created, up.StatusCode);
        await UploadAndRollOut(envelope);
        var boot = new BootSim(_rig, _dir);
        boot.Configure(0);

        Assert.Equal("staged sequence 7, rebooted", await Task.Run(() => Agent(boot, "1.0.0").RunOnce()));
        Assert.Equal("confirmed sequence 7", await Task.Run(() => Agent(boot, "2.7.0").RunOnce()));
        var nanoclr = new byte[firmware.Length];
        _rig.Nanoclr.Read(0, nanoclr, 0, nanoclr.Length);
        var deploy = new byte[app.Length];
        _rig.Deploy.Read(0, deploy, 0, deploy.Length);
        Assert.Equal(firmware, nanoclr);
        Assert.Equal(app, deploy);
        var device = Assert.Single((await _server.Admin.GetFromJsonAsync<List<Data.DeviceRow>>("/api/v1/admin/devices"))!);
        Assert.Equal((7L, "2.7.0"), (device.Sequence, device.Version));
    }

    [Fact]
    public async Task ADetachedPayloadThatIsNotTheSignedOne_IsRefused_AndNothingIsRequested()
    {
        await Register("dev-1");
        var image = AgentRig.Image(50_000, 72);
        var other = AgentRig.Image(50_000, 73);
        // The manifest names the other image's URI: the server holds bytes there, but not the signed ones.
        var otherUri = PayloadUri(other);
        var (envelope, _) = _rig.DetachedDataSet(image, 7, _ => otherUri);
        using (var up = await _server.Admin.PostAsync("/api/v1/admin/payloads", new ByteArrayContent(other)))
            Assert.Equal(HttpStatusCode.Created, up.StatusCode);
        using (var refused = await _server.Admin.PostAsync("/api/v1/admin/datasets", new ByteArrayContent(envelope)))
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode); /* the server checks a plaintext payload */

        // A device given such a data set anyway (the server bypassed) refuses it after the download, before any request.
        var boot = new BootSim(_rig, _dir);
        boot.Configure(0);
        var engine = _rig.Engine();
        engine.PayloadFetcher = new SecureOta.Agent.Update.Download.HttpPayloadFetcher(new HttpClientRange(_device), new RecordingDelay());
        var outcome = engine.Stage(new MemorySource(envelope));
        Assert.False(outcome.IsOk);
        Assert.Equal(UpdateFailure.DataSetRejected, outcome.Failure);
        Assert.Null(engine.CurrentBootRecord());
    }

    [Fact]
    public async Task EveryAdminEndpoint_RefusesAMissingOrWrongToken()
    {
        using var wrong = new HttpClient { BaseAddress = new Uri(_server.BaseUrl) };
        wrong.DefaultRequestHeaders.Authorization = new("Bearer", "nope");
        foreach (var client in new[] { _server.Anonymous, wrong })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/admin/devices")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/admin/audit")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/admin/devices", new { id = "x" })).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/v1/admin/datasets", new ByteArrayContent([1]))).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest = "x" })).StatusCode);
        }
    }

    [Fact]
    public async Task TamperedOrForeignDataSets_AreRefusedAtUpload()
    {
        var good = _rig.DataSet(AgentRig.Image(4000, 71), 7);
        var tampered = (byte[])good.Clone();
        tampered[^10] ^= 1;
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        foreach (var bad in new[] { tampered, _rig.DataSet(AgentRig.Image(4000, 72), 7, key: attacker), "not a data set"u8.ToArray() })
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await _server.Admin.PostAsync("/api/v1/admin/datasets", new ByteArrayContent(bad))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _server.Admin.PostAsync("/api/v1/admin/datasets", new ByteArrayContent(good))).StatusCode);
        var audit = await _server.Admin.GetStringAsync("/api/v1/admin/audit");
        Assert.Contains("upload-dataset", audit);
    }

    [Fact]
    public async Task ANonceIsGoodOnce_AndATokenOnlyForItsDevice()
    {
        await Register("dev-1");
        var client = new ServerClient(new HttpClientJson(_device), _server.BaseUrl, "dev-1", _rig.Driver, new Sha256());
        Assert.True(client.CheckIn(0, "1.0.0", "idle", new UpdateOffer[1]), client.Error);

        // Replay: sign one nonce, use it twice.
        var nonce = (await (await _server.Anonymous.PostAsync("/api/v1/devices/dev-1/nonce", new StringContent("{}"))).Content.ReadFromJsonAsync<Dictionary<string, object>>())!["nonce"].ToString()!;
        var digest = ServerClient.CheckInDigest(new Sha256(), "dev-1", Convert.FromHexString(nonce), 0);
        var sig = Convert.ToHexString(_rig.Driver.Sign(SecurityChip.OidDeviceKey, digest).Data).ToLowerInvariant();
        var body = new { nonce, signature = sig, sequence = 0, version = "1.0.0", state = "idle" };
        Assert.Equal(HttpStatusCode.OK, (await _server.Anonymous.PostAsJsonAsync("/api/v1/devices/dev-1/checkin", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Anonymous.PostAsJsonAsync("/api/v1/devices/dev-1/checkin", body)).StatusCode);

        // A valid token of dev-1 cannot report for dev-2.
        var http = new HttpClientJson(_device);
        var answer = new string[1];
        var failure = new string[1];
        var n2 = (await (await _server.Anonymous.PostAsync("/api/v1/devices/dev-1/nonce", new StringContent("{}"))).Content.ReadFromJsonAsync<Dictionary<string, object>>())!["nonce"].ToString()!;
        var sig2 = Convert.ToHexString(_rig.Driver.Sign(SecurityChip.OidDeviceKey, ServerClient.CheckInDigest(new Sha256(), "dev-1", Convert.FromHexString(n2), 0)).Data).ToLowerInvariant();
        Assert.Equal(200, http.Post(_server.BaseUrl + "/api/v1/devices/dev-1/checkin", null, $"{{\"nonce\":\"{n2}\",\"signature\":\"{sig2}\",\"sequence\":0}}", answer, failure));
        var token = Json.Parse(answer[0])!.String("token");
        Assert.Equal(204, http.Post(_server.BaseUrl + "/api/v1/devices/dev-1/status", token, "{\"state\":\"idle\",\"sequence\":0}", answer, failure));
        Assert.Equal(401, http.Post(_server.BaseUrl + "/api/v1/devices/dev-2/status", token, "{\"state\":\"idle\",\"sequence\":0}", answer, failure));
        Assert.Equal(401, http.Post(_server.BaseUrl + "/api/v1/devices/dev-1/status", null, "{\"state\":\"idle\",\"sequence\":0}", answer, failure));
    }

    [Fact]
    public async Task ExpiredNoncesAndTokens_AreRefused()
    {
        await Register("dev-1");
        var nonce = (await (await _server.Anonymous.PostAsync("/api/v1/devices/dev-1/nonce", new StringContent("{}"))).Content.ReadFromJsonAsync<Dictionary<string, object>>())!["nonce"].ToString()!;
        var sig = Convert.ToHexString(_rig.Driver.Sign(SecurityChip.OidDeviceKey, ServerClient.CheckInDigest(new Sha256(), "dev-1", Convert.FromHexString(nonce), 0)).Data).ToLowerInvariant();
        _server.Time.Now += TimeSpan.FromSeconds(61);
        var late = await _server.Anonymous.PostAsJsonAsync("/api/v1/devices/dev-1/checkin", new { nonce, signature = sig, sequence = 0 });
        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);

        var client = new ServerClient(new HttpClientJson(_device), _server.BaseUrl, "dev-1", _rig.Driver, new Sha256());
        Assert.True(client.CheckIn(0, "1.0.0", "idle", new UpdateOffer[1]), client.Error);
        Assert.True(client.Report("idle", 0, 0, 0, "fresh token"));
        _server.Time.Now += TimeSpan.FromMinutes(31);
        Assert.False(client.Report("idle", 0, 0, 0, "expired token"));
        Assert.Contains("401", client.Error);
    }

    [Fact]
    public async Task Downloads_HonourRangeAndIfRange()
    {
        var dataSet = _rig.DataSet(AgentRig.Image(10_000, 73), 7);
        var digest = await UploadAndRollOut(dataSet);
        var url = $"/artifacts/{digest}";

        var whole = await _server.Anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal($"\"{digest}\"", whole.Headers.ETag!.ToString());

        var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new(100, null);
        ranged.Headers.TryAddWithoutValidation("If-Range", $"\"{digest}\"");
        var part = await _server.Anonymous.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal($"bytes 100-{dataSet.Length - 1}/{dataSet.Length}", part.Content.Headers.ContentRange!.ToString());
        Assert.Equal(dataSet[100..], await part.Content.ReadAsByteArrayAsync());

        var stale = new HttpRequestMessage(HttpMethod.Get, url);
        stale.Headers.Range = new(100, null);
        stale.Headers.TryAddWithoutValidation("If-Range", "\"other\"");
        Assert.Equal(HttpStatusCode.OK, (await _server.Anonymous.SendAsync(stale)).StatusCode);

        var beyond = new HttpRequestMessage(HttpMethod.Get, url);
        beyond.Headers.Range = new(dataSet.Length + 10, null);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await _server.Anonymous.SendAsync(beyond)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Anonymous.GetAsync("/artifacts/..%2F..%2Fetc%2Fpasswd")).StatusCode);
    }
}

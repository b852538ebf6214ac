using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using SecureOta.Agent.Tests;
using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Host.Http;
using SecureOta.ChipEmulator;
using SecureOta.Core.Crypto;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>Rollouts: offered by class, halted automatically at the error threshold, paused, resumed, cancelled.</summary>
public sealed class RolloutTests : IAsyncLifetime
{
    private readonly AgentRig _rig = new();
    private ServerFixture _server = null!;
    private readonly HttpClient _http = new();
    private long _rollout;

    public async Task InitializeAsync()
    {
        _server = new ServerFixture(_rig.VendorKey);
        var cert = Convert.ToBase64String(_rig.ChipState.Objects[ChipState.OidDeviceCert].Data);
        foreach (var id in new[] { "d1", "d2", "d3" })
            Assert.Equal(HttpStatusCode.Created, (await _server.Admin.PostAsJsonAsync("/api/v1/admin/devices", new { id, classId = Convert.ToHexString(_rig.ClassId), certificate = cert })).StatusCode);
        var dataSet = _rig.DataSet(AgentRig.Image(3000, 80), 7);
        Assert.Equal(HttpStatusCode.Created, (await _server.Admin.PostAsync("/api/v1/admin/datasets", new ByteArrayContent(dataSet))).StatusCode);
        var created = await _server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest = Convert.ToHexString(SHA256.HashData(dataSet)).ToLowerInvariant(), errorThreshold = 2 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        _rollout = long.Parse((await created.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["id"].ToString()!);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _rig.Dispose();
        _http.Dispose();
    }

    private ServerClient Device(string id) => new(new HttpClientJson(_http), _server.BaseUrl, id, _rig.Driver, new Sha256());

    private UpdateOffer? CheckIn(ServerClient device)
    {
        var offer = new UpdateOffer[1];
        Assert.True(device.CheckIn(6, "1.6.0", "idle", offer), device.Error);
        return offer[0];
    }

    private async Task<string> State() =>
        (await _server.Admin.GetFromJsonAsync<List<Data.RolloutRow>>("/api/v1/admin/rollouts"))!.Single().State;

    [Fact]
    public async Task ARolloutHalts_WhenFailuresReachItsThreshold()
    {
        var d1 = Device("d1");
        var d2 = Device("d2");
        var d3 = Device("d3");
        Assert.Equal(7, CheckIn(d1)!.Sequence);
        Assert.True(d1.Report("failed", 7, 1, 8, "bad signature"));
        Assert.Equal("running", await State());
        Assert.NotNull(CheckIn(d2));                        // one failure is below the threshold of 2
        Assert.True(d2.Report("reverted", 7, 6, 41, "the boot stage reverted the new image"));
        Assert.Equal("halted", await State());
        Assert.Null(CheckIn(d3));                           // halted: nobody else gets it
        var rollout = (await _server.Admin.GetFromJsonAsync<List<Data.RolloutRow>>("/api/v1/admin/rollouts"))!.Single();
        Assert.Equal((0, 2), (rollout.Confirmed, rollout.Failed));
        Assert.Contains("halt-rollout", await _server.Admin.GetStringAsync("/api/v1/admin/audit"));
    }

    [Fact]
    public async Task PauseResumeCancel_ControlTheOffers()
    {
        var d1 = Device("d1");
        Assert.Equal(HttpStatusCode.OK, (await _server.Admin.PostAsync($"/api/v1/admin/rollouts/{_rollout}/pause", null)).StatusCode);
        Assert.Null(CheckIn(d1));
        Assert.Equal(HttpStatusCode.Conflict, (await _server.Admin.PostAsync($"/api/v1/admin/rollouts/{_rollout}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Admin.PostAsync($"/api/v1/admin/rollouts/{_rollout}/resume", null)).StatusCode);
        Assert.NotNull(CheckIn(d1));
        Assert.Equal(HttpStatusCode.OK, (await _server.Admin.PostAsync($"/api/v1/admin/rollouts/{_rollout}/cancel", null)).StatusCode);
        Assert.Null(CheckIn(d1));
        Assert.Equal(HttpStatusCode.Conflict, (await _server.Admin.PostAsync($"/api/v1/admin/rollouts/{_rollout}/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _server.Admin.PostAsync("/api/v1/admin/rollouts/999/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Anonymous.PostAsync($"/api/v1/admin/rollouts/{_rollout}/pause", null)).StatusCode);
    }
}

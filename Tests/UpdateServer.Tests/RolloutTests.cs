using System.Net;
using System.Security.Cryptography;
using SecureOta.Agent.Tests;
using SecureOta.Agent.Update.Api;
using SecureOta.ChipEmulator;
using SecureOta.Core.Crypto;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>Rollouts: offered by class, halted automatically at the error threshold, paused, resumed, cancelled.</summary>
public sealed class RolloutTests : ServerTest
{
    private long _rollout;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var id in new[] { "d1", "d2", "d3" }) await Server.RegisterDevice(id, Rig);
        var digest = await Server.Upload(Rig.DataSet(AgentRig.Image(3000, 80), 7));
        var created = await Server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest, errorThreshold = 2 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        _rollout = long.Parse((await created.Content.ReadFromJsonAsync<Dictionary<string, object>>())!["id"].ToString()!);
    }

    private UpdateOffer? CheckIn(ServerClient device)
    {
        var offer = new UpdateOffer[1];
        Assert.True(device.CheckIn(6, "1.6.0", "idle", offer), device.Error);
        return offer[0];
    }

    private async Task<string> State() =>
        (await Server.Admin.GetFromJsonAsync<List<Data.RolloutRow>>("/api/v1/admin/rollouts"))!.Single().State;

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
        var rollout = (await Server.Admin.GetFromJsonAsync<List<Data.RolloutRow>>("/api/v1/admin/rollouts"))!.Single();
        Assert.Equal((0, 2), (rollout.Confirmed, rollout.Failed));
        Assert.Contains("halt-rollout", await Server.Admin.GetStringAsync("/api/v1/admin/audit"));
    }

    [Fact]
    public async Task PauseResumeCancel_ControlTheOffers()
    {
        var d1 = Device("d1");
        Assert.Equal(HttpStatusCode.OK, (await Server.Admin.PostAsync($"/api/v1/admin/rollouts/{_rollout}/pause", null)).StatusCode);
        Assert.Null(CheckIn(d1));
        Assert.Equal(HttpStatusCode.Conflict, (await Server.Admin.PostAsync($"/api/v1/admin/rollouts/{_rollout}/pause", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Server.Admin.PostAsync($"/api/v1/admin/rollouts/{_rollout}/resume", null)).StatusCode);
        Assert.NotNull(CheckIn(d1));
        Assert.Equal(HttpStatusCode.OK, (await Server.Admin.PostAsync($"/api/v1/admin/rollouts/{_rollout}/cancel", null)).StatusCode);
        Assert.Null(CheckIn(d1));
        Assert.Equal(HttpStatusCode.Conflict, (await Server.Admin.PostAsync($"/api/v1/admin/rollouts/{_rollout}/resume", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Server.Admin.PostAsync("/api/v1/admin/rollouts/999/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Anonymous.PostAsync($"/api/v1/admin/rollouts/{_rollout}/pause", null)).StatusCode);
    }
}

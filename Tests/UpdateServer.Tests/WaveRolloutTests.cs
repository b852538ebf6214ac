using System.Net;
using System.Security.Cryptography;
using SecureOta.Agent.Tests;
using SecureOta.Agent.Update.Api;
using SecureOta.ChipEmulator;
using SecureOta.Core.Crypto;
using SecureOta.UpdateServer.Data;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>Rollouts in waves: only the open waves get the offer; a wave opens at the success threshold; a rollout completes when all confirmed.</summary>
public sealed class WaveRolloutTests : ServerTest
{
    private readonly string[] _ids = ["w1", "w2", "w3", "w4"];
    private string _digest = "";
    private readonly HashSet<string> _confirmed = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        foreach (var id in _ids) await Server.RegisterDevice(id, Rig);
        _digest = await Server.Upload(Rig.DataSet(AgentRig.Image(3000, 81), 7));
    }

    private List<string> Offered() => _ids.Where(id =>
    {
        var offer = new UpdateOffer[1];
        bool updated = _confirmed.Contains(id);
        Assert.True(Device(id).CheckIn(updated ? 7 : 6, updated ? "1.7.0" : "1.6.0", "idle", offer));
        return offer[0] is not null;
    }).ToList();

    private async Task<RolloutRow> Rollout() => (await Server.Admin.GetFromJsonAsync<List<RolloutRow>>("/api/v1/admin/rollouts"))!.Single();

    private void Confirm(string id)
    {
        var device = Device(id);
        Assert.True(device.CheckIn(7, "1.7.0", "testing", new UpdateOffer[1]));
        Assert.True(device.Report("confirmed", 7, 0, 0, "running 1.7.0"));
        _confirmed.Add(id);
    }

    [Fact]
    public async Task OnlyTheOpenWaveIsOffered_TheNextOpensWhenItConfirmed_AndTheRolloutCompletes()
    {
        var created = await Server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest = _digest, waves = new[] { 25, 100 }, successThreshold = 100 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var first = Assert.Single(Offered());                       // 25% of 4 devices
        var r = await Rollout();
        Assert.Equal((1, 4, "running"), (r.CurrentWave, r.Devices, r.State));
        Assert.Equal([new WaveRow(1, 25, 1, 0, 0), new WaveRow(2, 100, 3, 0, 0)], r.Waves);

        Confirm(first);
        Assert.Equal(_ids.Where(id => id != first), Offered());     // wave 2 opened; the confirmed device runs 7 now
        Assert.Equal(2, (await Rollout()).CurrentWave);
        foreach (var id in _ids.Where(id => id != first)) Confirm(id);
        r = await Rollout();
        Assert.Equal(("completed", 4), (r.State, r.Confirmed));
        var audit = await Server.Admin.GetStringAsync("/api/v1/admin/audit");
        Assert.Contains("advance-rollout", audit);
        Assert.Contains("complete-rollout", audit);
    }

    [Fact]
    public async Task ASuccessThresholdBelow100_OpensTheNextWaveEarlier()
    {
        await Server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest = _digest, waves = new[] { 50, 100 }, successThreshold = 50 });
        var wave1 = Offered();
        Assert.Equal(2, wave1.Count);
        Confirm(wave1[0]);                                           // 1 of 2 = 50%
        Assert.Equal(3, Offered().Count);                            // the other of wave 1 and both of wave 2
    }

    [Theory]
    [InlineData("[50, 40, 100]")]
    [InlineData("[50]")]
    [InlineData("[0, 100]")]
    [InlineData("[]")]
    [InlineData("[1,2,3,4,5,6,7,8,9,10,100]")]
    public async Task BadWaves_AreRefusedWithTheRule(string waves)
    {
        var body = new StringContent($"{{\"digest\":\"{_digest}\",\"waves\":{waves}}}", System.Text.Encoding.UTF8, "application/json");
        var r = await Server.Admin.PostAsync("/api/v1/admin/rollouts", body);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("waves:", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ABadSuccessThreshold_IsRefused()
    {
        var r = await Server.Admin.PostAsJsonAsync("/api/v1/admin/rollouts", new { digest = _digest, successThreshold = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("successThreshold", await r.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(10, new[] { 10, 50, 100 }, new[] { 1, 4, 5 })]
    [InlineData(3, new[] { 10, 50, 100 }, new[] { 1, 1, 1 })]
    [InlineData(1, new[] { 10, 50, 100 }, new[] { 1, 0, 0 })]
    [InlineData(7, new[] { 100 }, new[] { 7 })]
    public void DevicesAreCutIntoWavesAtTheCumulativePercentages(int count, int[] waves, int[] expected)
    {
        var sizes = new int[waves.Length];
        for (int i = 0; i < count; i++) sizes[RolloutStore.WaveOf(i, count, waves)]++;
        Assert.Equal(expected, sizes);
    }
}

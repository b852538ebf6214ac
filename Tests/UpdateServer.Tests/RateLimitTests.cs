using SecureOta.Agent.Update.Api;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// The device API's per-device rate limit, which applies once the device proved who it is (its check-in
/// signature); the unauthenticated id in the path spends nothing of it (AttackRunTests.S2).
/// </summary>
public sealed class RateLimitTests : ServerTest
{
    public override async Task InitializeAsync()
    {
        Server = new ServerFixture(deviceRequestsPerMinute: 3, Rig.VendorKey);
        await Server.RegisterDevice("noisy", Rig);
        await Server.RegisterDevice("quiet", Rig);
    }

    [Fact]
    public async Task ADeviceOverItsLimit_Gets429_WithoutAffectingOthers()
    {
        var noisy = Device("noisy");
        for (int i = 0; i < 3; i++)
            Assert.True(await Task.Run(() => noisy.CheckIn(0, "1.0.0", "idle", new UpdateOffer[1])), noisy.Error);
        Assert.False(await Task.Run(() => noisy.CheckIn(0, "1.0.0", "idle", new UpdateOffer[1])));
        Assert.Contains("429", noisy.Error);
        var quiet = Device("quiet");
        Assert.True(await Task.Run(() => quiet.CheckIn(0, "1.0.0", "idle", new UpdateOffer[1])), quiet.Error);
    }
}

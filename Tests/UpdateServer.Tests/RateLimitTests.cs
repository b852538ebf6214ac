using System.Net;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>The device API's per-device rate limit.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task ADeviceOverItsLimit_Gets429_WithoutAffectingOthers()
    {
        await using var server = new ServerFixture(deviceRequestsPerMinute: 3);
        for (int i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await server.Anonymous.PostAsync("/api/v1/devices/noisy/nonce", new StringContent("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await server.Anonymous.PostAsync("/api/v1/devices/noisy/nonce", new StringContent("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Anonymous.PostAsync("/api/v1/devices/quiet/nonce", new StringContent("{}"))).StatusCode);
    }
}

using SecureOta.Agent.Update.Download;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The body deadline the board's HTTP adapters (Esp32/HttpWebRequestRange, HttpWebRequestJson) check
/// before every read: the device-side guard against a server that trickles bytes (slow retrieval).
/// </summary>
public sealed class DeadlineTests
{
    [Fact]
    public void A_zero_or_negative_deadline_has_already_passed()
    {
        Assert.True(new Deadline(0).Expired);
        Assert.True(new Deadline(-5).Expired);
    }

    [Fact]
    public void A_future_deadline_has_not_passed_and_then_passes()
    {
        var deadline = new Deadline(200);
        Assert.False(deadline.Expired);
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!deadline.Expired && DateTime.UtcNow < until) Thread.Sleep(20);
        Assert.True(deadline.Expired);
    }
}

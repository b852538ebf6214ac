using SecureOta.DeviceSimulator.Model;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The model's concurrency (issue 14): the download's reader thread charges its own lane; the board's clock
/// moves only by what the writer does and by the time it waits for data, so Wi-Fi and flash overlap and
/// nothing is counted twice.
/// </summary>
public sealed class DeviceTimeLaneTests
{
    [Fact]
    public void TheReadersLane_Overlaps_AndTheWriterPaysOnlyItsWait()
    {
        var time = new DeviceTime();
        time.Flash(1_000);
        long readyAt = 0;
        var reader = new Thread(() =>
        {
            time.EnterLane();
            time.Network(5_000);      /* one chunk over the air, from t = 1 ms */
            readyAt = time.Stamp();
        });
        reader.Start();
        reader.Join();
        Assert.Equal(6_000, readyAt);
        Assert.Equal(1_000, time.Clock.NowMicroseconds); /* the lane did not move the clock */
        Assert.Equal(5_000, time.OverlappedNetworkMicroseconds);

        time.Flash(2_000);            /* the writer works meanwhile: 3 ms */
        time.WaitUntil(readyAt);      /* then waits 3 ms for the chunk */
        Assert.Equal(6_000, time.Clock.NowMicroseconds);
        Assert.Equal(3_000, time.NetworkMicroseconds);
        time.WaitUntil(readyAt);      /* already there: no wait */
        Assert.Equal(6_000, time.Clock.NowMicroseconds);
        Assert.Equal(0, time.ChipMicroseconds);
    }
}

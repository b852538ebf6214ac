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
        long start = time.Stamp();
        var reader = new Thread(() =>
        {
            time.EnterLane(start);
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

    [Fact]
    public void ALane_StartsAtTheStampItWasStartedWith_HoweverLateTheHostRunsIt()
    {
        var time = new DeviceTime();
        long start = time.Stamp();
        time.Flash(4_000);            /* the starter runs on before the host schedules the new thread */
        long doneAt = 0;
        var report = new Thread(() =>
        {
            time.EnterLane(start);
            time.Network(30_000);     /* one request's round trip */
            doneAt = time.Stamp();
        });
        report.Start();
        report.Join();
        Assert.Equal(30_000, doneAt); /* from t = 0, not from the 4 ms the clock had reached */
        time.WaitUntil(doneAt);
        Assert.Equal(26_000, time.NetworkMicroseconds);
    }
}

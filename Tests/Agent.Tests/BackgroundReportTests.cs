using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Flow;
using SecureOta.Core.Crypto;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// Progress reports off the update's path (issue 14, BackgroundReport): the download and the staging go on
/// while "downloading" and "verified" are in flight, one request of the client at a time, in order, and a
/// report that failed says so at the next call.
/// </summary>
public sealed class BackgroundReportTests : IDisposable
{
    private const string DeviceId = "dev-0001";
    private readonly AgentRig Rig = new(shielded: false);
    private readonly FakeDeviceServer Server = new();
    private ScriptedNetwork Network = new([]);
    private readonly CountingReboot Reboot = new();

    public BackgroundReportTests() =>
        Server.Register(DeviceId, Rig.ChipState.Objects[SecureOta.ChipEmulator.ChipState.OidDeviceCert].Data);

    public void Dispose() => Rig.Dispose();

    private void Publish(byte[] dataSet, long sequence)
    {
        Network = new ScriptedNetwork(dataSet);
        Server.Offer = ("http://server/ds/" + sequence, dataSet.Length, sequence);
    }

    [Fact]
    public void TheDownload_StartsWhileTheDownloadingReportIsInFlight_AndReportsKeepTheirOrder()
    {
        var image = AgentRig.Image(60_000, 41);
        Publish(Rig.DataSet(image, 3, encrypt: true), 3);
        var held = new HeldStatus(Server, () => Network.Requests.Count > 0);
        var agent = new UpdateAgent(new ServerClient(held, FakeDeviceServer.Base, DeviceId, Rig.Driver, new Sha256()),
            Rig.Engine(), Network, new RecordingDelay(), Reboot, "1.0.0");

        Assert.Equal("staged sequence 3, rebooted", agent.RunOnce());
        // The first report was answered only after the download's first GET had gone out.
        Assert.True(held.SawOverlap, "the downloading report held the download back");
        Assert.Equal(["downloading", "verified", "staged"], Server.Reports.Select(r => r.State));
        Assert.Equal(1, Reboot.Count);
        Assert.True(held.MostInFlight <= 1, "two device-API requests of one client were in flight at once");
    }

    [Fact]
    public void AFailedBackgroundReport_IsSaidAtTheNextCall_AndTheNextReportsStillGo()
    {
        var image = AgentRig.Image(10_000, 42);
        Publish(Rig.DataSet(image, 4, encrypt: false), 4);
        var client = new ServerClient(Server, FakeDeviceServer.Base, DeviceId, Rig.Driver, new Sha256());
        var offer = new UpdateOffer[1];
        Assert.True(client.CheckIn(0, "1.0.0", DeviceApi.StateIdle, offer));
        Server.Down = true;
        Assert.True(client.ReportInBackground(DeviceApi.StateDownloading, 4, "downloading"));
        Assert.False(client.Settle());
        Assert.Equal("status report failed: connection refused", client.Error);
        Assert.True(client.Settle()); /* settled once: nothing left in flight */
        Server.Down = false;
        Assert.True(client.ReportInBackground(DeviceApi.StateVerified, 4, "verified"));
        Assert.True(client.Report(DeviceApi.StateStaged, 4, 0, 0, "staged"));
        Assert.Equal(["verified", "staged"], Server.Reports.Select(r => r.State));
    }

    [Fact]
    public void NoSession_NoBackgroundReport()
    {
        var client = new ServerClient(Server, FakeDeviceServer.Base, DeviceId, Rig.Driver, new Sha256());
        Assert.False(client.ReportInBackground(DeviceApi.StateDownloading, 1, "downloading"));
        Assert.Equal("no session: check in first", client.Error);
        Assert.Empty(Server.Reports);
    }

    private sealed class CountingReboot : IReboot
    {
        public int Count;
        public void Reboot() => Count++;
    }

    // Holds the first status report until `released` is true (bounded: 10 s) and counts requests in flight at once.
    private sealed class HeldStatus(IJsonHttp inner, Func<bool> released) : IJsonHttp
    {
        private readonly object _gate = new();
        private int _inFlight;
        public int MostInFlight;
        public bool SawOverlap;
        private bool _first = true;

        public int Post(string url, string? bearer, string json, string[] responseBody, string[] failure)
        {
            int now = Interlocked.Increment(ref _inFlight);
            lock (_gate) MostInFlight = Math.Max(MostInFlight, now);
            try
            {
                if (url.EndsWith(DeviceApi.StatusPath, StringComparison.Ordinal) && _first)
                {
                    _first = false;
                    SawOverlap = SpinWait.SpinUntil(released, TimeSpan.FromSeconds(10));
                }
                return inner.Post(url, bearer, json, responseBody, failure);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }
}

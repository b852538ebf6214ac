using SecureOta.Agent.Update.Flow;
using SecureOta.Agent.Update.Staging;
using SecureOta.DeviceSimulator.Device;
using SecureOta.Drivers.Flash;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// Firmware and application together on an A/B board (docs/boot-protocol.md, "A/B slots"): each image goes
/// into its own component's second slot, one request names both slots, the real C boot stage activates both
/// at once and a confirmation keeps both; without one both go back. The confirmed slots are never written.
/// </summary>
public sealed class AbPairUpdateTests : IDisposable
{
    private readonly AgentRig _rig = new(layout: BoardLayout.Ab4Mb);
    private readonly string _dir = Directory.CreateTempSubdirectory("agent-ab-pair-").FullName;
    private readonly BootSim _boot;
    private readonly byte[] _firmware = AgentRig.Image(50_000, 91), _app = AgentRig.Image(70_000, 92);
    private readonly byte[] _oldFirmware = AgentRig.Image(40_000, 93), _oldApp = AgentRig.Image(30_000, 94);
    private readonly byte[] _envelope;

    private static string Uri(string component) => "https://cdn.vendor.example/payloads/" + component;

    public AbPairUpdateTests()
    {
        _boot = new BootSim(_rig, _dir);
        _boot.Configure(6);
        _rig.Nanoclr.Write(0, _oldFirmware, 0, _oldFirmware.Length);
        _rig.Deploy.Write(0, _oldApp, 0, _oldApp.Length);
        Assert.Equal("boot: nothing pending", _boot.Boot());
        _envelope = _rig.PairDataSet(_firmware, _app, 7, Uri);
    }

    public void Dispose()
    {
        _rig.Dispose();
        Directory.Delete(_dir, true);
    }

    private UpdateEngine Engine()
    {
        var engine = _rig.Engine(maxImage: BoardLayout.Ab4Mb.DeploySize);
        engine.Slots = new SecureOta.DeviceSimulator.Device.SimSlotHandover(_boot.Slots, _boot.Home, _rig.Flash.Deploy, _rig.Flash.DeployB!, _rig.Flash.Nanoclr, _rig.Flash.NanoclrB!);
        engine.PayloadFetcher = new PayloadsFetcher(new() { [Uri("nanoclr")] = _firmware, [Uri("deploy")] = _app });
        return engine;
    }

    private static byte[] Read(IFlashArea area, int length)
    {
        var b = new byte[length];
        area.Read(0, b, 0, length);
        return b;
    }

    private void AssertOldSlotsUntouched()
    {
        Assert.Equal(_oldFirmware, Read(_rig.Nanoclr, _oldFirmware.Length));
        Assert.Equal(_oldApp, Read(_rig.Deploy, _oldApp.Length));
    }

    [Fact]
    public void BothImagesGoIntoTheirSecondSlots_AreActivatedTogether_AndConfirmedTogether()
    {
        var outcome = Engine().Stage(new MemorySource(_envelope));
        Assert.True(outcome.IsOk, outcome.ToString());
        var request = new BootStateArea(_rig.BootState).Current(out _);
        Assert.Equal(BootStateRecord.ComponentPair, request!.Component);
        Assert.Equal(3, request.Slots);
        Assert.Equal(_firmware, Read(_rig.Flash.NanoclrB!, _firmware.Length));
        Assert.Equal(_app, Read(_rig.Flash.DeployB!, _app.Length));
        AssertOldSlotsUntouched();

        Assert.Equal("boot: installed nanoclr+deploy seq=7 (testing)", _boot.Boot());
        Assert.Equal(3, _boot.Slots);
        Assert.Equal("confirmed", Engine().ConfirmRunningImage().Message);
        Assert.Equal("boot: confirmed nanoclr+deploy seq=7", _boot.Boot());
        Assert.Equal((3, 3), (_boot.Slots, _boot.Home));
        AssertOldSlotsUntouched();
    }

    [Fact]
    public void WithoutAConfirmation_BothGoBack()
    {
        Assert.True(Engine().Stage(new MemorySource(_envelope)).IsOk);
        Assert.Equal("boot: installed nanoclr+deploy seq=7 (testing)", _boot.Boot());
        Assert.StartsWith("boot: reverted nanoclr+deploy", _boot.Boot());
        Assert.Equal((0, 0), (_boot.Slots, _boot.Home));
        AssertOldSlotsUntouched();
    }
}

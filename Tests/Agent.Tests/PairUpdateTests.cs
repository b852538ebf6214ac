using SecureOta.Agent.Update.Flow;
using SecureOta.Agent.Update.Staging;
using SecureOta.Core.Suit;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// Firmware and application released together (docs/data-set-format.md 1b): the agent verifies the
/// envelope, fetches both detached payloads into staging (the application after the firmware's last
/// sector), asks for both in one request, and the C boot stage installs both or neither; the agent's
/// confirmation makes them stay, none makes both go back.
/// </summary>
public sealed class PairUpdateTests : IDisposable
{
    private readonly AgentRig _rig = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("agent-pair-").FullName;
    private readonly BootSim _boot;
    private readonly byte[] _firmware = AgentRig.Image(50_000, 81), _app = AgentRig.Image(70_000, 82);
    private readonly byte[] _oldFirmware = AgentRig.Image(40_000, 83);
    private readonly byte[] _envelope;

    private static string Uri(string component) => "https://cdn.vendor.example/payloads/" + component;

    public PairUpdateTests()
    {
        _boot = new BootSim(_rig, _dir);
        _boot.Configure(6);
        _rig.Nanoclr.Erase(0, _rig.Nanoclr.Size);
        _rig.Nanoclr.Write(0, _oldFirmware, 0, _oldFirmware.Length);
        _envelope = _rig.PairDataSet(_firmware, _app, 7, Uri);
    }

    public void Dispose()
    {
        _rig.Dispose();
        Directory.Delete(_dir, true);
    }

    private UpdateEngine Engine(Dictionary<string, byte[]> payloads)
    {
        var engine = _rig.Engine();
        engine.PayloadFetcher = new PayloadsFetcher(payloads);
        return engine;
    }

    private byte[] Read(SecureOta.DeviceTests.Fakes.StrictRamFlash area, int length)
    {
        var bytes = new byte[length];
        area.Read(0, bytes, 0, length);
        return bytes;
    }

    [Fact]
    public void BothImagesAreStaged_InstalledTogether_AndConfirmedTogether()
    {
        var outcome = Engine(new() { [Uri("nanoclr")] = _firmware, [Uri("deploy")] = _app }).Stage(new MemorySource(_envelope));
        Assert.True(outcome.IsOk, outcome.ToString());
        var request = _rig.Engine().CurrentBootRecord()!;
        Assert.Equal(BootStateRecord.ComponentPair, request.Component);
        Assert.Equal((uint)_firmware.Length, request.ImageSize);
        Assert.Equal((uint)_app.Length, request.ImageSize2);

        Assert.Equal("boot: installed nanoclr+deploy seq=7 (testing)", _boot.Boot());
        Assert.Equal(_firmware, Read(_rig.Nanoclr, _firmware.Length));
        Assert.Equal(_app, Read(_rig.Deploy, _app.Length));
        Assert.Equal("confirmed", _rig.Engine().ConfirmRunningImage().Message);
        Assert.Equal("boot: confirmed nanoclr+deploy seq=7", _boot.Boot());
        Assert.Equal(_firmware, Read(_rig.Nanoclr, _firmware.Length));
        Assert.Equal(_app, Read(_rig.Deploy, _app.Length));
    }

    [Fact]
    public void WithoutAConfirmation_BothGoBack()
    {
        var oldApp = Read(_rig.Deploy, _app.Length);
        Assert.True(Engine(new() { [Uri("nanoclr")] = _firmware, [Uri("deploy")] = _app }).Stage(new MemorySource(_envelope)).IsOk);
        Assert.Equal("boot: installed nanoclr+deploy seq=7 (testing)", _boot.Boot());
        Assert.StartsWith("boot: reverted", _boot.Boot());
        Assert.Equal(_oldFirmware, Read(_rig.Nanoclr, _oldFirmware.Length));
        Assert.Equal(oldApp, Read(_rig.Deploy, _app.Length));
    }

    [Fact]
    public void AWrongOrMissingPayload_IsRefused_AndNothingIsRequested()
    {
        var swapped = Engine(new() { [Uri("nanoclr")] = _app, [Uri("deploy")] = _firmware }).Stage(new MemorySource(_envelope));
        Assert.False(swapped.IsOk);
        Assert.Equal(UpdateFailure.DataSetRejected, swapped.Failure);
        var tampered = (byte[])_app.Clone();
        tampered[1234] ^= 1;
        var modified = Engine(new() { [Uri("nanoclr")] = _firmware, [Uri("deploy")] = tampered }).Stage(new MemorySource(_envelope));
        Assert.Equal(UpdateFailure.DataSetRejected, modified.Failure);
        var missing = Engine(new() { [Uri("nanoclr")] = _firmware }).Stage(new MemorySource(_envelope));
        Assert.Equal(UpdateFailure.Network, missing.Failure);
        Assert.Null(_rig.Engine().CurrentBootRecord());
        Assert.Equal("boot: nothing pending", _boot.Boot());
    }

    [Fact]
    public void APowerCutWhileStaging_LeavesNothingRequested_AndTheNextAttemptInstallsBoth()
    {
        _rig.Staging.CutPowerAfter(AgentRig.StagingErases(12_288 * 10) + 20);
        Assert.False(Engine(new() { [Uri("nanoclr")] = _firmware, [Uri("deploy")] = _app }).Stage(new MemorySource(_envelope)).IsOk);
        _rig.Staging.PowerOn();
        Assert.Equal("boot: nothing pending", _boot.Boot());
        Assert.True(Engine(new() { [Uri("nanoclr")] = _firmware, [Uri("deploy")] = _app }).Stage(new MemorySource(_envelope)).IsOk);
        Assert.Equal("boot: installed nanoclr+deploy seq=7 (testing)", _boot.Boot());
        Assert.Equal(_app, Read(_rig.Deploy, _app.Length));
    }

    [Theory]
    [InlineData(AgentRig.Recipients.MasterSecret)]
    [InlineData(AgentRig.Recipients.EsDh)]
    public void AnEncryptedPair_IsDecryptedByTheChipsKey_EachImageUnderItsOwn(AgentRig.Recipients recipients)
    {
        var (envelope, fw, app) = _rig.EncryptedPairDataSet(_firmware, _app, 8, Uri, recipients);
        Assert.NotEqual(_firmware, fw);
        // Two fresh content keys and IVs: the ciphertexts of equal-length prefixes differ.
        Assert.NotEqual(fw.AsSpan(0, 64).ToArray(), app.AsSpan(0, 64).ToArray());

        // The images in place of their ciphertexts, or a flipped ciphertext bit: refused, nothing requested.
        Assert.Equal(UpdateFailure.DataSetRejected, Engine(new() { [Uri("nanoclr")] = _firmware, [Uri("deploy")] = _app }).Stage(new MemorySource(envelope)).Failure);
        var tampered = (byte[])app.Clone();
        tampered[^1] ^= 0x80;
        Assert.Equal(UpdateFailure.DataSetRejected, Engine(new() { [Uri("nanoclr")] = fw, [Uri("deploy")] = tampered }).Stage(new MemorySource(envelope)).Failure);
        Assert.Null(_rig.Engine().CurrentBootRecord());

        var outcome = Engine(new() { [Uri("nanoclr")] = fw, [Uri("deploy")] = app }).Stage(new MemorySource(envelope));
        Assert.True(outcome.IsOk, outcome.ToString());
        Assert.Equal("boot: installed nanoclr+deploy seq=8 (testing)", _boot.Boot());
        Assert.Equal(_firmware, Read(_rig.Nanoclr, _firmware.Length));
        Assert.Equal(_app, Read(_rig.Deploy, _app.Length));
    }
}

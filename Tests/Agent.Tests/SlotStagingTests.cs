using SecureOta.Agent.Update.Flow;
using SecureOta.Agent.Update.Staging;
using SecureOta.DeviceTests.Fakes;
using SecureOta.Drivers.Flash;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The agent on an A/B board (docs/boot-protocol.md, "A/B slots"): the image goes straight into the slot
/// that is neither booted nor confirmed, staging keeps only the header and the journal, the request names
/// the slots; nothing is written while no slot is writable, and an image larger than its slot is refused.
/// </summary>
public sealed class SlotStagingTests : IDisposable
{
    private readonly AgentRig _rig = new();
    private readonly StrictRamFlash _staging = new(0xC000, AgentRig.Sector, 4);
    private readonly StrictRamFlash _slot0 = new(0x60000, AgentRig.Sector, 4), _slot1 = new(0x60000, AgentRig.Sector, 4);

    public void Dispose() => _rig.Dispose();

    private sealed class Handover(byte booted, byte home, IFlashArea slot0, IFlashArea slot1) : ISlotHandover
    {
        public byte Booted { get; } = booted;
        public byte Home { get; } = home;
        public IFlashArea? SlotArea(byte component, int slot) => component == BootStateRecord.ComponentDeploy ? (slot == 0 ? slot0 : slot1) : null;
    }

    private UpdateEngine Engine(byte booted, byte home)
    {
        var engine = _rig.EngineOn(_staging, maxImage: _slot0.Size);
        engine.Slots = new Handover(booted, home, _slot0, _slot1);
        return engine;
    }

    [Theory]
    [InlineData(0, 1)] /* slot 0 confirmed and running: the image goes into slot 1 */
    [InlineData(1, 0)]
    public void TheImage_GoesIntoTheOtherSlot_AndTheRequestNamesIt(byte home, int expectedSlot)
    {
        var image = AgentRig.Image(150_001, 4);
        var outcome = Engine(home, home).Stage(new MemorySource(_rig.DataSet(image, 7, encrypt: true)));
        Assert.True(outcome.IsOk, outcome.ToString());

        var written = new byte[image.Length];
        var target = expectedSlot == 0 ? _slot0 : _slot1;
        Assert.Equal(FlashStatus.Ok, target.Read(0, written, 0, written.Length));
        Assert.Equal(image, written);
        Assert.Equal(0, (expectedSlot == 0 ? _slot1 : _slot0).BlocksErased); /* the confirmed slot is never touched */
        var request = new BootStateArea(_rig.BootState).Current(out _);
        Assert.Equal(BootStateRecord.StateRequested, request!.State);
        Assert.Equal(expectedSlot == 1 ? 1 : 0, request.Slots);
        Assert.True(new StagingWriter(_staging).ReadHeader(new byte[4096]) > 0, "the header is in staging");
    }

    [Fact]
    public void WhileAnImageIsUnderTest_NothingIsWritten()
    {
        var outcome = Engine(booted: 1, home: 0).Stage(new MemorySource(_rig.DataSet(AgentRig.Image(10_000, 5), 7)));
        Assert.Equal(UpdateFailure.BootStage, outcome.Failure);
        Assert.Contains("no slot of deploy is writable", outcome.Message);
        Assert.Equal(0, _slot0.BlocksErased + _slot1.BlocksErased + _staging.BlocksErased);
        Assert.Equal(0, _rig.BootState.WriteCount);
    }

    [Fact]
    public void AnImageLargerThanTheSlot_IsRefusedBeforeAnyWrite()
    {
        var engine = _rig.EngineOn(_staging, maxImage: 2 * _slot0.Size);
        engine.Slots = new Handover(0, 0, _slot0, _slot1);
        var outcome = engine.Stage(new MemorySource(_rig.DataSet(AgentRig.Image(_slot0.Size + 1, 6), 7)));
        Assert.Equal(UpdateFailure.TooLarge, outcome.Failure);
        Assert.Contains("does not fit the slot", outcome.Message);
        Assert.Equal(0, _slot1.BlocksErased + _staging.BlocksErased);
    }
}

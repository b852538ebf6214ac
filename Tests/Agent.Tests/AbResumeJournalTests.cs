using SecureOta.DeviceSimulator.Device;
using SecureOta.Drivers.Flash;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// On an A/B board the resume journal lives at the end of the header region's first sector
/// (StagingWriter.JournalOffset): the staging is erased once per update (the header's sector), not also
/// in a journal sector of its own, and a download cut late in the slot still resumes from the journal:
/// the second attempt fetches only the rest, and the slot then holds exactly the image.
/// </summary>
public sealed class AbResumeJournalTests : IDisposable
{
    private const int ImageSize = 140_000; // journal slots after chunks 16 and 32
    private readonly AgentRig _rig = new(layout: BoardLayout.Ab4Mb);
    private readonly string _dir = Directory.CreateTempSubdirectory("agent-ab-journal-").FullName;
    private readonly BootSim _boot;

    public AbResumeJournalTests()
    {
        _boot = new BootSim(_rig, _dir);
        _boot.Configure(6);
        var old = AgentRig.Image(30_000, 2);
        Assert.Equal(FlashStatus.Ok, _rig.Deploy.Write(0, old, 0, old.Length));
        Assert.Equal("boot: nothing pending", _boot.Boot());
    }

    public void Dispose()
    {
        _rig.Dispose();
        Directory.Delete(_dir, true);
    }

    private Update.Flow.UpdateEngine Engine()
    {
        var engine = _rig.Engine(maxImage: BoardLayout.Ab4Mb.DeploySize);
        engine.Slots = new SimSlotHandover(_boot.Slots, _boot.Home, _rig.Flash.Deploy, _rig.Flash.DeployB!, _rig.Flash.Nanoclr, _rig.Flash.NanoclrB!);
        return engine;
    }

    [Fact]
    public void AnUpdate_ErasesOneStagingSector_TheHeadersWithTheJournal()
    {
        int erased = _rig.Staging.BlocksErased;
        var staged = Engine().Stage(new MemorySource(_rig.DataSet(AgentRig.Image(ImageSize, 1), 7, encrypt: true)));
        Assert.True(staged.IsOk, staged.ToString());
        Assert.Equal(erased + 1, _rig.Staging.BlocksErased);
        Assert.Equal("boot: installed deploy seq=7 (testing)", _boot.Boot());
    }

    [Fact]
    public void ADownloadCutLateInTheSlot_ResumesFromTheJournalInTheHeadersSector()
    {
        var image = AgentRig.Image(ImageSize, 1);
        var dataSet = _rig.DataSet(image, 7, encrypt: true);
        const string etag = "\"v7\"";

        var cut = Engine().Stage(new MemorySource(dataSet, failAfter: dataSet.Length - 2000, validator: etag));
        Assert.False(cut.IsOk);

        // Resumed and cut again: the journal, erased with the header's sector, was begun again with what is staged.
        var resumed = Engine();
        Assert.False(resumed.Stage(new MemorySource(dataSet, failAfter: dataSet.Length - 1000, validator: etag)).IsOk);
        Assert.Equal(32L * 4096, resumed.ResumedFromByte);

        int erased = _rig.Staging.BlocksErased;
        var engine = Engine();
        var again = engine.Stage(new MemorySource(dataSet, validator: etag));
        Assert.True(again.IsOk, again.ToString());
        Assert.Equal(32L * 4096, engine.ResumedFromByte); // the journal's last slot: 32 chunks staged
        Assert.Equal(erased + 1, _rig.Staging.BlocksErased); // the header's sector again, the journal begun anew in it
        Assert.Equal("boot: installed deploy seq=7 (testing)", _boot.Boot());
        var installed = new byte[image.Length];
        Assert.Equal(FlashStatus.Ok, _rig.Flash.DeployB!.Read(0, installed, 0, installed.Length));
        Assert.Equal(image, installed);
    }
}

using SecureOta.Agent.Update.Flow;
using SecureOta.Agent.Update.Staging;
using SecureOta.Core.Suit;
using SecureOta.DeviceTests.Fakes;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// A power cut while the agent writes the payload: after the reboot the agent resumes from the
/// chunks its journal recorded (downloading only the rest) for the same data set and ETag, re-hashes
/// what is staged, and the C boot stage installs exactly the signed image. A journal for another
/// artifact, or a staged prefix that no longer matches, never gets an image activated.
/// </summary>
public sealed class ResumeAfterPowerCutTests : IDisposable
{
    private const int ImageSize = 150_000; // 36 whole chunks and a short one: journal slots after chunks 16 and 32
    private readonly AgentRig _rig = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("agent-resume-").FullName;
    private readonly BootSim _boot;
    private readonly byte[] _image = AgentRig.Image(ImageSize, 60);
    private readonly byte[] _dataSet;

    public ResumeAfterPowerCutTests()
    {
        _boot = new BootSim(_rig, _dir);
        _boot.Configure(6);
        _dataSet = _rig.DataSet(_image, 7, encrypt: true);
    }

    public void Dispose()
    {
        _rig.Dispose();
        Directory.Delete(_dir, true);
    }

    private const int Chunks = (ImageSize + UpdateEngine.ChunkSize - 1) / UpdateEngine.ChunkSize;

    // The operation of chunk c's image write (part 0) or the journal slot after it (part 1, where c + 1 is a
    // multiple of ResumeJournal.ChunksPerRecord), or before it (part < 0: the erase ahead of it, when the
    // chunk starts a block; before chunk 0, the header's body); c = Chunks: the envelope header's first
    // unit, its commit.
    private int Operation(int chunk, int part) => AgentRig.OperationsBeforeChunk(_dataSet, ImageSize, chunk) + part;

    [Theory]
    [InlineData(0, -1)]  // the envelope header's body (before the image; its length comes last)
    [InlineData(0, 0)]   // the first image write
    [InlineData(1, 0)]
    [InlineData(12, 0)]
    [InlineData(15, -3)] // while the next block is erased ahead of chunk 15 (a torn sector erase)
    [InlineData(15, 0)]  // the first write after a block erased ahead
    [InlineData(15, 1)]  // the first journal slot (16 chunks): torn, nothing recorded
    [InlineData(16, 0)]  // the first write after it: 16 chunks recorded
    [InlineData(31, 1)]  // the second journal slot (32 chunks)
    [InlineData(33, 0)]
    [InlineData(36, 0)]  // the short last chunk
    [InlineData(Chunks, 0)]  // the envelope header
    public void ACutDuringThePayload_ResumesAfterTheRecordedChunks(int chunk, int part)
    {
        _rig.Staging.CutPowerAfter(Operation(chunk, part));
        Assert.False(_rig.Engine().Stage(new MemorySource(_dataSet, validator: "\"v1\"")).IsOk);
        Assert.False(_rig.Staging.IsPowered);
        _rig.Staging.PowerOn();
        Assert.Equal("boot: nothing pending", _boot.Boot());

        var engine = _rig.Engine();
        var source = new MemorySource(_dataSet, validator: "\"v1\"");
        var outcome = engine.Stage(source);
        Assert.True(outcome.IsOk, outcome.ToString());
        // Chunks count once a journal slot covers them: a slot every ResumeJournal.ChunksPerRecord chunks.
        int recordedChunks = chunk / ResumeJournal.ChunksPerRecord * ResumeJournal.ChunksPerRecord;
        Assert.Equal(Math.Min(recordedChunks, ImageSize / UpdateEngine.ChunkSize) * UpdateEngine.ChunkSize, engine.ResumedFromByte);
        // The envelope header is read again (the chip re-verifies it); then only the bytes after the staged part.
        long expectedServed = engine.ResumedFromByte == 0 ? _dataSet.Length
            : SuitEnvelopeReader.MaxHeaderLength + _dataSet.Length - AgentRig.HeaderLength(_dataSet) - engine.ResumedFromByte;
        Assert.Equal(expectedServed, source.BytesServed);

        Assert.Equal("boot: installed deploy seq=7 (testing)", _boot.Boot());
        var deploy = new byte[ImageSize];
        _rig.Deploy.Read(0, deploy, 0, deploy.Length);
        Assert.Equal(_image, deploy);
    }

    [Theory]
    [InlineData("\"v2\"")]  // the server now serves another artifact under that URL
    [InlineData(null)]       // a source that cannot promise the same bytes
    public void AJournalForAnotherArtifact_IsNotResumed(string? validator)
    {
        _rig.Staging.CutPowerAfter(Operation(20, 0)); /* 16 chunks recorded */
        Assert.False(_rig.Engine().Stage(new MemorySource(_dataSet, validator: "\"v1\"")).IsOk);
        _rig.Staging.PowerOn();
        var engine = _rig.Engine();
        var source = new MemorySource(_dataSet, validator: validator);
        var outcome = engine.Stage(source);
        Assert.True(outcome.IsOk, outcome.ToString());
        Assert.Equal(0, engine.ResumedFromByte);
        Assert.Equal(_dataSet.Length, source.BytesServed);
        Assert.Equal(_image, _rig.StagedImage(ImageSize));
    }

    [Fact]
    public void ABitFlippedInTransit_IsRejected_ThenTheNextAttemptStartsOverInsteadOfResumingTheBadBytes()
    {
        var damaged = (byte[])_dataSet.Clone();
        damaged[^100] ^= 0x10; // in the payload's last chunk: every chunk is staged and journaled first
        var failed = _rig.Engine().Stage(new MemorySource(damaged, validator: "\"v1\""));
        Assert.Equal((int)SuitError.PayloadDigestMismatch, failed.Detail);

        var again = _rig.Engine();
        var staged = again.Stage(new MemorySource(_dataSet, validator: "\"v1\""));
        Assert.True(staged.IsOk, staged.ToString());
        Assert.Equal(0, again.ResumedFromByte);
        Assert.Equal(_image, _rig.StagedImage(ImageSize));
    }

    [Fact]
    public void AStagedPrefixThatChanged_IsRejected_ThenTheNextAttemptStartsOver()
    {
        _rig.Staging.CutPowerAfter(Operation(20, 0)); /* 16 chunks recorded */
        Assert.False(_rig.Engine().Stage(new MemorySource(_dataSet, validator: "\"v1\"")).IsOk);
        _rig.Staging.PowerOn();
        // A bit of the staged plaintext flips (flash wear, or someone else's write): 1 -> 0 is programmable.
        var one = new byte[4];
        _rig.Staging.Read(AgentRig.Sector + 4096, one, 0, 4);
        Assert.NotEqual(0, one[0]);
        one[0] &= (byte)(one[0] - 1);
        CopyWithPatch(_rig.Staging, AgentRig.Sector + 4096, one);

        var engine = _rig.Engine();
        var failed = engine.Stage(new MemorySource(_dataSet, validator: "\"v1\""));
        Assert.Equal(UpdateFailure.DataSetRejected, failed.Failure);
        Assert.Equal((int)SuitError.PayloadDigestMismatch, failed.Detail);
        Assert.Null(engine.CurrentBootRecord());

        var again = _rig.Engine();
        Assert.True(again.Stage(new MemorySource(_dataSet, validator: "\"v1\"")).IsOk);
        Assert.Equal(0, again.ResumedFromByte);
        Assert.Equal(_image, _rig.StagedImage(ImageSize));
    }

    [Fact]
    public void WhileTheBootStageOwnsStaging_TheAgentDoesNotTouchIt()
    {
        Assert.True(_rig.Engine().Stage(new MemorySource(_dataSet)).IsOk);
        Assert.Equal("boot: installed deploy seq=7 (testing)", _boot.Boot());
        int before = _rig.Staging.WriteCount + _rig.Staging.BlocksErased;
        var outcome = _rig.Engine().Stage(new MemorySource(_rig.DataSet(AgentRig.Image(5000, 2), 8)));
        Assert.Equal(UpdateFailure.BootStage, outcome.Failure);
        Assert.Equal(BootStateRecord.StateTesting, outcome.Detail);
        Assert.Equal(before, _rig.Staging.WriteCount + _rig.Staging.BlocksErased);
    }

    // Programs zero bits into already-programmed cells: what NOR flash physically allows.
    private static void CopyWithPatch(StrictRamFlash flash, int offset, byte[] bytes)
    {
        var sector = new byte[AgentRig.Sector];
        int start = offset - (offset % AgentRig.Sector);
        flash.Read(start, sector, 0, sector.Length);
        Array.Copy(bytes, 0, sector, offset - start, bytes.Length);
        flash.Erase(start, AgentRig.Sector);
        flash.Write(start, sector, 0, sector.Length);
    }
}

/// <summary>The resume over HTTP: after the power cut the download asks only for the bytes after the staged part.</summary>
public sealed class ResumeOverHttpTests
{
    [Fact]
    public void AfterAPowerCut_TheDownloadRangesPastTheStagedChunks()
    {
        using var rig = new AgentRig();
        var image = AgentRig.Image(100_000, 61);
        var dataSet = rig.DataSet(image, 7, encrypt: true);
        rig.Staging.CutPowerAfter(AgentRig.OperationsBeforeChunk(dataSet, image.Length, 20)); // after 20 chunks, the first 16 in the journal
        var first = new Update.Download.ResumableDownload(new ScriptedNetwork(dataSet), "http://s/ds", dataSet.Length, new RecordingDelay());
        Assert.True(first.Open());
        Assert.False(rig.Engine().Stage(first).IsOk);
        rig.Staging.PowerOn();

        var net = new ScriptedNetwork(dataSet);
        var download = new Update.Download.ResumableDownload(net, "http://s/ds", dataSet.Length, new RecordingDelay());
        Assert.True(download.Open());
        var engine = rig.Engine();
        var outcome = engine.Stage(download);
        Assert.True(outcome.IsOk, outcome.ToString());
        Assert.Equal(ResumeJournal.ChunksPerRecord * Update.Flow.UpdateEngine.ChunkSize, engine.ResumedFromByte);
        Assert.Equal([(0L, (string?)null), (AgentRig.HeaderLength(dataSet) + engine.ResumedFromByte, "\"v1\"")], net.Requests);
        Assert.Equal(image, rig.StagedImage(image.Length));
    }
}

using SecureOta.Agent.Update.Download;
using SecureOta.Agent.Update.Flow;
using SecureOta.Core.Suit;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// Detached payloads (docs/data-set-format.md, "Detached payloads"): the agent verifies the envelope
/// (signature on the chip, profile, counter) before it opens the manifest's uri, fetches exactly
/// image-size bytes with the resumable download, resumes after a dropped connection and after a power
/// cut (the journal keyed by the payload's ETag), and the C boot stage installs exactly the signed image.
/// </summary>
public sealed class DetachedPayloadTests : IDisposable
{
    private const int ImageSize = 70_000;
    private const string Uri = "https://cdn.vendor.example/payloads/p1";
    private readonly AgentRig _rig = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("agent-detached-").FullName;
    private readonly BootSim _boot;
    private readonly byte[] _image = AgentRig.Image(ImageSize, 61);
    private readonly byte[] _envelope, _payload;

    public DetachedPayloadTests()
    {
        _boot = new BootSim(_rig, _dir);
        _boot.Configure(6);
        (_envelope, _payload) = _rig.DetachedDataSet(_image, 7, _ => Uri, encrypt: true);
    }

    public void Dispose()
    {
        _rig.Dispose();
        Directory.Delete(_dir, true);
    }

    // Serves payloads from memory by uri; records what was asked for.
    private sealed class MemoryFetcher(Dictionary<string, MemorySource> payloads) : IPayloadFetcher
    {
        public List<string> Opened { get; } = [];

        public IByteSource? Open(string uri, long length, out string? failure)
        {
            Opened.Add(uri);
            failure = payloads.ContainsKey(uri) ? null : "404 not found";
            return payloads.GetValueOrDefault(uri);
        }

        public void Close(IByteSource payload) { }
    }

    private void AssertInstalled()
    {
        Assert.Equal("boot: installed deploy seq=7 (testing)", _boot.Boot());
        var deploy = new byte[ImageSize];
        _rig.Deploy.Read(0, deploy, 0, deploy.Length);
        Assert.Equal(_image, deploy);
    }

    [Fact]
    public void TheEnvelopeIsVerifiedFirst_ThenThePayloadFetched_AndInstalled()
    {
        var fetcher = new MemoryFetcher(new() { [Uri] = new MemorySource(_payload, validator: "\"p\"") });
        var engine = _rig.Engine();
        engine.PayloadFetcher = fetcher;
        var outcome = engine.Stage(new MemorySource(_envelope));
        Assert.True(outcome.IsOk, outcome.ToString());
        Assert.Equal([Uri], fetcher.Opened);
        AssertInstalled();
    }

    [Fact]
    public void AnEnvelopeThatFailsItsChecks_NeverOpensTheUri()
    {
        var tampered = (byte[])_envelope.Clone();
        tampered[^3] ^= 0x01; /* inside the manifest, the envelope's last member: its digest no longer matches */
        var fetcher = new MemoryFetcher(new() { [Uri] = new MemorySource(_payload, validator: "\"p\"") });
        var engine = _rig.Engine();
        engine.PayloadFetcher = fetcher;
        var outcome = engine.Stage(new MemorySource(tampered));
        Assert.Equal(UpdateFailure.DataSetRejected, outcome.Failure);
        Assert.Empty(fetcher.Opened);
        Assert.Equal(0, _rig.Staging.WriteCount);
    }

    [Fact]
    public void WithoutAFetcher_OrAPayloadOfAnotherSize_NothingIsWritten()
    {
        var outcome = _rig.Engine().Stage(new MemorySource(_envelope));
        Assert.Equal(UpdateFailure.DataSetRejected, outcome.Failure);
        Assert.Contains("detached", outcome.Message);

        var engine = _rig.Engine();
        engine.PayloadFetcher = new MemoryFetcher(new() { [Uri] = new MemorySource(_payload[..^1], validator: "\"p\"") });
        outcome = engine.Stage(new MemorySource(_envelope));
        Assert.Equal(UpdateFailure.DataSetRejected, outcome.Failure);
        Assert.Contains("image-size", outcome.Message);

        engine.PayloadFetcher = new MemoryFetcher([]);
        outcome = engine.Stage(new MemorySource(_envelope));
        Assert.Equal(UpdateFailure.Network, outcome.Failure);
        Assert.Contains("404", outcome.Message);
        Assert.Equal(0, _rig.Staging.WriteCount);
    }

    [Fact]
    public void ADroppedPayloadDownload_ResumesWithRangeAndIfRange()
    {
        var network = new ScriptedNetwork(_payload, "\"payload-1\"");
        network.CutsAt.Add(20_000);
        network.CutsAt.Add(50_000);
        var engine = _rig.Engine();
        engine.PayloadFetcher = new HttpPayloadFetcher(network, new RecordingDelay());
        var outcome = engine.Stage(new MemorySource(_envelope));
        Assert.True(outcome.IsOk, outcome.ToString());
        Assert.Contains(network.Requests, r => r.From == 20_000 && r.IfRange == "\"payload-1\"");
        Assert.Contains(network.Requests, r => r.From == 50_000 && r.IfRange == "\"payload-1\"");
        AssertInstalled();
    }

    [Fact]
    public void APowerCutDuringThePayload_ResumesAfterTheRecordedChunks_OfThatPayload()
    {
        _rig.Staging.CutPowerAfter(AgentRig.OperationsBeforeChunk(_envelope, ImageSize, 17)); /* the last chunk's write: 16 chunks recorded */
        var engine = _rig.Engine();
        engine.PayloadFetcher = new MemoryFetcher(new() { [Uri] = new MemorySource(_payload, validator: "\"p\"") });
        Assert.False(engine.Stage(new MemorySource(_envelope)).IsOk);
        _rig.Staging.PowerOn();
        Assert.Equal("boot: nothing pending", _boot.Boot());

        // Served under another ETag, the payload is fetched whole; under the same one, only the rest.
        var again = new MemorySource(_payload, validator: "\"p\"");
        engine = _rig.Engine();
        engine.PayloadFetcher = new MemoryFetcher(new() { [Uri] = again });
        var outcome = engine.Stage(new MemorySource(_envelope));
        Assert.True(outcome.IsOk, outcome.ToString());
        Assert.Equal(Update.Staging.ResumeJournal.ChunksPerRecord * UpdateEngine.ChunkSize, engine.ResumedFromByte);
        Assert.Equal(ImageSize - engine.ResumedFromByte, again.BytesServed);
        AssertInstalled();
    }
}

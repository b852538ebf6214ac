using System.Security.Cryptography;
using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Flow;
using SecureOta.ChipEmulator;
using SecureOta.Core.Crypto;
using SecureOta.Drivers.Chip;

namespace SecureOta.Agent.Tests;

/// <summary>
/// One board for the install-policy and freshness tests (issue 18): chip, flash and the real C boot stage
/// behind a reboot, the strict FakeDeviceServer with a channel key, and a chip whose second trust anchor
/// (0xE0E8) holds that key's certificate, as the factory station writes it. Agents are made per power-on
/// (NewBoot): what the board keeps is flash and chip.
/// </summary>
public sealed class PolicyRig : IDisposable
{
    public const string DeviceId = "dev-0001";
    private readonly string _dir = Directory.CreateTempSubdirectory("agent-policy-").FullName;

    public AgentRig Rig { get; } = new();
    public FakeDeviceServer Server { get; } = new();
    public ECDsa ChannelKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public ApplicationControl Control { get; private set; } = new();
    public ChannelWatch Watch { get; private set; } = null!;
    public RebootIntoBootSim Reboot { get; }
    public ScriptedNetwork Net { get; } = new([]);
    public BootSim Boot { get; }

    public PolicyRig(bool channelAnchor = true)
    {
        Boot = new BootSim(Rig, _dir);
        Boot.Configure(0);
        Reboot = new RebootIntoBootSim(Boot);
        Server.Register(DeviceId, Rig.ChipState.Objects[ChipState.OidDeviceCert].Data);
        Server.ChannelKey = ChannelKey;
        if (channelAnchor)
            Rig.ChipState.Objects[SecurityChip.OidChannelTrustAnchor].Data = ChipState.TrustAnchorCertificate(ChannelKey, "CN=update channel key");
        NewBoot();
    }

    /// <summary>The board's RAM starts again (a reboot or a power cut): a new local control and channel watch.</summary>
    public void NewBoot(int limitSeconds = 3600)
    {
        Control = new ApplicationControl();
        Watch = new ChannelWatch(Rig.Clock, limitSeconds);
    }

    /// <summary>An agent of this power-on; local: the board's own on-consent setting.</summary>
    public UpdateAgent Agent(string version = "1.0.0", bool local = false, IJsonHttp? wire = null)
    {
        var client = new ServerClient(wire ?? Server, FakeDeviceServer.Base, DeviceId, Rig.Driver, new Sha256()) { Watch = Watch };
        return new UpdateAgent(client, Rig.Engine(), Net, new RecordingDelay(), Reboot, version)
        {
            Control = Control, Watch = Watch, LocalConsentRequired = local,
        };
    }

    public void Publish(byte[] dataSet, long sequence, string? install)
    {
        Net.Artifact = dataSet; /* the same network the agents were given */
        Net.ETag = "\"v" + sequence + "\"";
        Server.Offer = ("http://server/ds/" + sequence, dataSet.Length, sequence);
        Server.InstallJson = install;
        Server.NewestSequence = sequence;
    }

    public List<string> States => Server.Reports.Select(r => r.State).ToList();

    public void Dispose()
    {
        ChannelKey.Dispose();
        Rig.Dispose();
        Directory.Delete(_dir, true);
    }
}

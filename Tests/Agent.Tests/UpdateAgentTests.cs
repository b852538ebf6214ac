using System.Security.Cryptography;
using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Flow;
using SecureOta.Core.Crypto;
using SecureOta.Core.Suit;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The agent's whole cycle on the host: check in (chip-signed), download through the resumable
/// download, verify and stage, reboot into the real C boot stage, health check, confirm, report.
/// </summary>
public class UpdateAgentTests : IDisposable
{
    private const string DeviceId = "dev-0001";
    private readonly AgentRig _rig;

    protected AgentRig Rig => _rig;
    protected FakeDeviceServer Server => _server;

    private readonly string _dir = Directory.CreateTempSubdirectory("agent-cycle-").FullName;
    private readonly BootSim _boot;
    private readonly FakeDeviceServer _server = new();
    private readonly RebootIntoBootSim _reboot;
    private ScriptedNetwork _net = new([]);

    public UpdateAgentTests() : this(shielded: false)
    {
    }

    /// <summary>The same cycles with every chip exchange over the shielded connection.</summary>
    protected UpdateAgentTests(bool shielded)
    {
        _rig = new AgentRig(shielded);
        _boot = new BootSim(_rig, _dir);
        _boot.Configure(0);
        _reboot = new RebootIntoBootSim(_boot);
        _server.Register(DeviceId, _rig.ChipState.Objects[SecureOta.ChipEmulator.ChipState.OidDeviceCert].Data);
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        _rig.Dispose();
        Directory.Delete(_dir, true);
    }

    // A fresh agent is what runs after every reboot: nothing survives in RAM.
    protected UpdateAgent Agent(string version = "1.0.0") => new(
        new ServerClient(_server, FakeDeviceServer.Base, DeviceId, _rig.Driver, new Sha256()),
        _rig.Engine(), _net, new RecordingDelay(), _reboot, version);

    protected void Publish(byte[] dataSet, long sequence)
    {
        _net = new ScriptedNetwork(dataSet);
        _server.Offer = ("http://server/ds/" + sequence, dataSet.Length, sequence);
    }

    [Fact]
    public void OfferedUpdate_IsStagedInstalledConfirmed_AndEveryStepReported()
    {
        var image = AgentRig.Image(120_000, 40);
        Publish(_rig.DataSet(image, 7, encrypt: true), 7);
        _net.CutsAt.Add(33_333);

        Assert.Equal("staged sequence 7, rebooted", Agent().RunOnce());
        Assert.Equal("boot: installed deploy seq=7 (testing)", _reboot.LastBoot);
        Assert.Equal("confirmed sequence 7", Agent("1.7.0").RunOnce());
        Assert.Equal(7, _rig.Driver.ReadCounter(SecurityChip.OidRollbackCounter, out _));
        Assert.Equal("up to date at sequence 7", Agent("1.7.0").RunOnce());

        // "installed" is the health check's check-in (state testing at 7), not a report of its own.
        Assert.Equal(["downloading", "verified", "staged", "confirmed"], _server.Reports.Select(r => r.State));
        Assert.Equal([(DeviceId, 0L, "idle"), (DeviceId, 7L, "testing"), (DeviceId, 7L, "idle")], _server.CheckIns);
        var deploy = new byte[image.Length];
        _rig.Deploy.Read(0, deploy, 0, deploy.Length);
        Assert.Equal(image, deploy);
    }

    [Fact]
    public void ADataSetSignedByAnotherKey_IsReportedAndNeverStaged()
    {
        using var attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Publish(_rig.DataSet(AgentRig.Image(20_000, 41), 7, key: attacker), 7);

        var line = Agent().RunOnce();
        Assert.StartsWith("update to sequence 7 failed: DataSetRejected", line);
        Assert.Equal(0, _reboot.Count);
        var failed = _server.Reports.Single(r => r.State == "failed");
        Assert.Equal(((int)UpdateFailure.DataSetRejected, (int)SuitError.BadSignature), (failed.Failure, failed.Code));
        Assert.Null(_rig.Engine().CurrentBootRecord());
        Assert.Equal(0, _rig.Staging.WriteCount + _rig.Staging.BlocksErased);
    }

    [Fact]
    public void ANewImageThatCannotReachTheServer_IsRevertedByTheBootStage_AndTheRevertIsReported()
    {
        Publish(_rig.DataSet(AgentRig.Image(30_000, 42), 7), 7);
        Assert.Equal("staged sequence 7, rebooted", Agent().RunOnce());

        _server.Down = true;
        var agent = Agent("1.7.0");
        for (int i = 1; i < UpdateAgent.MaxHealthCheckFailures; i++)
            Assert.StartsWith("health check failed (", agent.RunOnce());
        Assert.StartsWith("health check failed 3 times", agent.RunOnce());
        Assert.Equal("boot: reverted deploy to seq=0 (not confirmed)", _reboot.LastBoot);

        _server.Down = false;
        _server.Offer = null;
        Assert.Equal("up to date at sequence 0", Agent().RunOnce());
        var reverted = _server.Reports.Last();
        Assert.Equal(("reverted", (int)UpdateFailure.BootStage, 41), (reverted.State, reverted.Failure, reverted.Code));
        Assert.Equal(0, _rig.Driver.ReadCounter(SecurityChip.OidRollbackCounter, out _));
    }

    [Fact]
    public void AnUnregisteredDevice_IsRefusedAtCheckIn()
    {
        var other = new FakeDeviceServer();
        var agent = new UpdateAgent(new ServerClient(other, FakeDeviceServer.Base, DeviceId, _rig.Driver, new Sha256()),
            _rig.Engine(), _net, new RecordingDelay(), _reboot, "1.0.0");
        Assert.Equal("check-in failed: HTTP 401 from http://server/api/v1/devices/dev-0001/checkin", agent.RunOnce());
    }

    [Theory]
    [InlineData("{\"nonce\":\"00\"}")]
    [InlineData("not json")]
    [InlineData("{\"nonce\":\"" + "zz" + "\"}")]
    public void AGarbledNonceAnswer_IsAClearError(string answer)
    {
        var client = new ServerClient(new CannedHttp(answer), FakeDeviceServer.Base, DeviceId, _rig.Driver, new Sha256());
        Assert.False(client.CheckIn(0, "1.0.0", "idle", new UpdateOffer[1]));
        Assert.False(string.IsNullOrEmpty(client.Error));
    }

    private sealed class CannedHttp(string answer) : IJsonHttp
    {
        public int Post(string url, string? bearer, string json, string[] responseBody, string[] failure)
        {
            responseBody[0] = answer;
            return 200;
        }
    }
}

/// <summary>Every agent cycle again, with the I2C bus protected by the shielded connection (as on a device).</summary>
public sealed class ShieldedUpdateAgentTests() : UpdateAgentTests(shielded: true)
{
    [Fact]
    public void ABusAttackDuringTheSignatureCheck_FailsThatAttempt_AndTheNextCycleResetsTheChipAndUpdates()
    {
        Publish(Rig.DataSet(AgentRig.Image(40_000, 43), 7), 7);
        bool fired = false;
        // The attacker waits until the download was reported (after the chip-signed check-in), then
        // flips one bit of the next chip response: the signature check's.
        Rig.Chip.Faults.RewriteResponse = record =>
        {
            if (fired || Server.Reports.Count == 0) return record;
            fired = true;
            var forged = (byte[])record.Clone();
            forged[^1] ^= 0x01;
            return forged;
        };
        var line = Agent().RunOnce();
        Assert.True(fired);
        Assert.StartsWith("update to sequence 7 failed: Chip", line);
        Assert.Equal(0, Rig.Staging.WriteCount + Rig.Staging.BlocksErased);
        var failed = Server.Reports.Single(r => r.State == "failed");
        Assert.Equal((int)UpdateFailure.Chip, failed.Failure);

        // The forged response was refused, not believed; the next cycle updates.
        Assert.Equal("staged sequence 7, rebooted", Agent().RunOnce());
    }

    [Fact]
    public void AChipThatLostItsSession_IsResetAndOpenedAgain_ByTheNextCycle()
    {
        Publish(Rig.DataSet(AgentRig.Image(40_000, 44), 7), 7);
        Rig.Chip.PowerCycle(); // a brown-out of the chip alone: its shielded session and frame numbers are gone
        Assert.Equal("staged sequence 7, rebooted", Agent().RunOnce());
    }
}

/// <summary>A reboot on the host: the real C boot stage runs on the flash, then the "application" starts again.</summary>
public sealed class RebootIntoBootSim(BootSim boot) : IReboot
{
    public int Count { get; private set; }
    public string? LastBoot { get; private set; }

    public void Reboot()
    {
        Count++;
        LastBoot = boot.Boot();
    }
}

using SecureOta.Agent.Update.Flow;
using SecureOta.Agent.Update.Staging;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// Install policies on one board (issue 18, docs/device-api.md section 3): an update that must wait is
/// downloaded, verified and staged, but the boot stage is not asked for it until the policy allows; a
/// power cut while it waits changes nothing; before use it is verified again from flash.
/// </summary>
public sealed class InstallPolicyTests : IDisposable
{
    private readonly PolicyRig _b = new();

    public void Dispose() => _b.Dispose();

    private BootStateRecord? Record => _b.Rig.Engine().CurrentBootRecord();

    [Fact]
    public void OnConsent_TheUpdateIsStagedAndWaits_ThroughAPowerCut_AndInstallsOnlyWhenConsentIsGiven()
    {
        _b.Publish(_b.Rig.DataSet(AgentRig.Image(90_000, 70), 7, encrypt: true), 7, "{\"policy\":\"on-consent\"}");

        Assert.Equal("sequence 7 verified and staged; waiting for the local consent trigger", _b.Agent().RunOnce());
        Assert.Equal(["downloading", "verified", "waiting-consent"], _b.States);
        Assert.Null(Record); /* nothing asked of the boot stage: a reboot now installs nothing */
        Assert.Equal(LocalSignal.WaitingForConsent, _b.Control.LastSignal(out _));

        // A power cut while waiting: the boot stage boots the old image, the held update is still there and
        // is not downloaded again.
        Assert.Equal("boot: nothing pending", _b.Boot.Boot());
        _b.NewBoot();
        int requests = _b.Net.Requests.Count;
        var agent = _b.Agent();
        Assert.Equal("sequence 7 verified and staged; waiting for the local consent trigger", agent.RunOnce());
        Assert.Equal(requests, _b.Net.Requests.Count);
        Assert.Null(Record);

        _b.Control.Consent();
        Assert.Equal("installing held sequence 7 (consent given), rebooted", agent.RunOnce());
        Assert.Equal("boot: installed deploy seq=7 (testing)", _b.Reboot.LastBoot);
        Assert.Equal("confirmed sequence 7", _b.Agent("1.7.0").RunOnce());
        Assert.Equal(7, _b.Rig.Driver.ReadCounter(SecurityChip.OidRollbackCounter, out _));
        Assert.Equal(["downloading", "verified", "waiting-consent", "waiting-consent", "staged", "confirmed"], _b.States);
    }

    [Fact]
    public void TheBoardsOwnSetting_MakesAnAutomaticRolloutWaitForConsent()
    {
        _b.Publish(_b.Rig.DataSet(AgentRig.Image(30_000, 71), 7), 7, null);
        var agent = _b.Agent(local: true);
        Assert.Equal("sequence 7 verified and staged; waiting for the local consent trigger", agent.RunOnce());
        Assert.Equal(0, _b.Reboot.Count);
        _b.Control.Consent();
        Assert.StartsWith("installing held sequence 7", agent.RunOnce());
        Assert.Equal(1, _b.Reboot.Count);
    }

    [Fact]
    public void AHeldImageChangedInFlash_IsRefusedBeforeInstall_AndStagedAgainFromTheServer()
    {
        var image = AgentRig.Image(60_000, 72);
        _b.Publish(_b.Rig.DataSet(image, 7), 7, "{\"policy\":\"on-consent\"}");
        var agent = _b.Agent();
        agent.RunOnce();
        // Something (a bug, a compromised application) changed the staged image while it waited.
        Assert.Equal(SecureOta.Drivers.Flash.FlashStatus.Ok, _b.Rig.Staging.Erase(AgentRig.Sector, AgentRig.Sector));

        _b.Control.Consent();
        Assert.StartsWith("held update 7 failed its second verification: DataSetRejected", agent.RunOnce());
        Assert.Null(Record);
        Assert.Equal(0, _b.Reboot.Count);
        var failed = _b.Server.Reports.Last();
        Assert.Equal(("failed", (int)UpdateFailure.DataSetRejected, (int)SecureOta.Core.Suit.SuitError.PayloadDigestMismatch), (failed.State, failed.Failure, failed.Code));

        // The next cycle downloads it again (nothing of the changed staging is used) and, consent given, installs it.
        Assert.Equal("installing held sequence 7 (consent given), rebooted", agent.RunOnce());
        Assert.Equal("boot: installed deploy seq=7 (testing)", _b.Reboot.LastBoot);
        var deploy = new byte[image.Length];
        _b.Rig.Deploy.Read(0, deploy, 0, deploy.Length);
        Assert.Equal(image, deploy);
    }

    [Fact]
    public void ANewerOffer_ReplacesTheHeldUpdate()
    {
        _b.Publish(_b.Rig.DataSet(AgentRig.Image(30_000, 73), 7), 7, "{\"policy\":\"on-consent\"}");
        var agent = _b.Agent();
        agent.RunOnce();
        _b.Publish(_b.Rig.DataSet(AgentRig.Image(30_000, 74), 8), 8, "{\"policy\":\"on-consent\"}");
        Assert.Equal("sequence 8 verified and staged; waiting for the local consent trigger", agent.RunOnce());
        _b.Control.Consent();
        Assert.Equal("installing held sequence 8 (consent given), rebooted", agent.RunOnce());
        Assert.Equal("boot: installed deploy seq=8 (testing)", _b.Reboot.LastBoot);
    }

    [Fact]
    public void AWindow_InstallsOnlyInsideIt_InTheBoardsTime()
    {
        long now = _b.Server.ServerTime;
        int minute = (int)(now / 60 % 1440);
        int start = (minute + 30) % 1440, end = (minute + 90) % 1440;
        _b.Publish(_b.Rig.DataSet(AgentRig.Image(30_000, 75), 7), 7, $"{{\"policy\":\"window\",\"windowStart\":{start},\"windowEnd\":{end},\"deadline\":0}}");
        var agent = _b.Agent();
        Assert.StartsWith("sequence 7 verified and staged; waiting for the maintenance window", agent.RunOnce());
        Assert.Equal("waiting-window", _b.States.Last());

        _b.Rig.Clock.Advance(20 * 60 * 1_000_000L);
        Assert.StartsWith("sequence 7 verified and staged; waiting for the maintenance window", agent.RunOnce());
        Assert.Equal(0, _b.Reboot.Count);
        _b.Rig.Clock.Advance(11 * 60 * 1_000_000L);
        Assert.Equal("installing held sequence 7 (inside the maintenance window or past its deadline), rebooted", agent.RunOnce());
    }

    [Fact]
    public void AWindowWithADeadline_InstallsOutsideTheWindowOnceTheDeadlinePassed()
    {
        long now = _b.Server.ServerTime;
        int minute = (int)(now / 60 % 1440);
        int start = (minute + 600) % 1440, end = (minute + 660) % 1440;
        _b.Publish(_b.Rig.DataSet(AgentRig.Image(30_000, 76), 7), 7, $"{{\"policy\":\"window\",\"windowStart\":{start},\"windowEnd\":{end},\"deadline\":{now + 900}}}");
        var agent = _b.Agent();
        Assert.StartsWith("sequence 7 verified and staged; waiting for the maintenance window", agent.RunOnce());
        _b.Rig.Clock.Advance(800 * 1_000_000L);
        Assert.StartsWith("sequence 7 verified and staged; waiting", agent.RunOnce());
        _b.Rig.Clock.Advance(200 * 1_000_000L);
        Assert.StartsWith("installing held sequence 7", agent.RunOnce());
    }

    [Theory]
    [InlineData("{\"policy\":\"sometime\"}")]
    [InlineData("{\"policy\":\"window\",\"windowStart\":10,\"windowEnd\":10}")]
    [InlineData("{\"policy\":\"window\",\"windowStart\":-1,\"windowEnd\":10}")]
    [InlineData("{\"policy\":\"window\",\"windowStart\":1,\"windowEnd\":1440}")]
    [InlineData("{\"when\":\"now\"}")]
    public void AnInstallPolicyTheBoardDoesNotUnderstand_IsRefused_AndNothingIsDownloaded(string install)
    {
        _b.Publish(_b.Rig.DataSet(AgentRig.Image(30_000, 77), 7), 7, install);
        Assert.StartsWith("check-in failed: the check-in answer's update.install is not understood", _b.Agent().RunOnce());
        Assert.Empty(_b.Net.Requests);
    }
}

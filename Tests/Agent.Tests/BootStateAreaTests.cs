using SecureOta.Agent.Update.Staging;
using SecureOta.DeviceTests.Fakes;
using SecureOta.Drivers.Flash;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The agent's boot-state writes never replace the boot stage's newest record (docs/boot-protocol.md,
/// "A/B slots"; the C side's bs_state_write_keeping_boot): a second request goes over the first, and a
/// power cut while writing it leaves the boot stage's record current; a bank's log sector is erased only
/// when it does not read erased (as bs_state.c's erase_bank).
/// </summary>
public class BootStateAreaTests
{
    private const int Sector = 4096;

    private static (StrictRamFlash Flash, BootStateArea Area) BoardWithBootRecord(byte home)
    {
        var flash = new StrictRamFlash(4 * Sector, Sector, 4);
        var idle = new BootStateRecord { Seq = 5, State = BootStateRecord.StateIdle, Writer = BootStateRecord.WriterBoot, ImageSeq = 6, Slots = home, Home = home };
        var raw = idle.Encode();
        Assert.Equal(FlashStatus.Ok, flash.Write(0, raw, 0, raw.Length));
        return (flash, new BootStateArea(flash));
    }

    private static BootStateRecord? BankRecord(StrictRamFlash flash, int bank)
    {
        var raw = new byte[BootStateRecord.Size];
        Assert.Equal(FlashStatus.Ok, flash.Read(bank * 2 * Sector, raw, 0, raw.Length));
        return BootStateRecord.Decode(raw);
    }

    [Fact]
    public void ASecondRequest_GoesOverTheFirst_AndTheBootStagesRecordStays()
    {
        var (flash, area) = BoardWithBootRecord(home: 1);
        Assert.Equal(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 1000, 0, 7, slots: 0));
        Assert.Equal(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 2000, 0, 8, slots: 0));

        var boot = BankRecord(flash, 0);
        var request = BankRecord(flash, 1);
        Assert.NotNull(boot);
        Assert.Equal(BootStateRecord.WriterBoot, boot!.Writer);
        Assert.Equal(1, boot.Home);
        Assert.NotNull(request);
        Assert.Equal(BootStateRecord.StateRequested, request!.State);
        Assert.Equal(8, request.ImageSeq);
        Assert.Equal(0, request.Slots);
        Assert.True(request.Seq > boot.Seq);
        area.Current(out int bank);
        Assert.Equal(1, bank);
    }

    [Fact]
    public void APowerCutDuringTheSecondRequest_LeavesTheBootStagesRecordCurrent()
    {
        var (flash, area) = BoardWithBootRecord(home: 0);
        Assert.Equal(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 1000, 0, 7, slots: 1));
        flash.CutPowerAfter(1); // the erase of the request's bank completes, its program does not
        area.RequestInstall(BootStateRecord.ComponentDeploy, 2000, 0, 8, slots: 1);
        flash.PowerOn();

        var current = area.Current(out int bank);
        Assert.NotNull(current);
        Assert.Equal(0, bank);
        Assert.Equal(BootStateRecord.WriterBoot, current!.Writer);
        Assert.Equal(BootStateRecord.StateIdle, current.State);
    }

    [Fact]
    public void ABanksLogSector_IsErasedOnlyWhenItDoesNotReadErased()
    {
        var (flash, area) = BoardWithBootRecord(home: 0);
        int before = flash.BlocksErased;
        Assert.Equal(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 1000, 0, 7, slots: 1));
        Assert.Equal(before + 1, flash.BlocksErased); /* bank 1's log sector was blank: one erase */

        // A stale progress-log entry (an earlier swap's) in bank 1's second sector: the next write there erases it.
        Assert.Equal(FlashStatus.Ok, flash.Write(3 * Sector + 64, [1, 2, 3, 0], 0, 4));
        before = flash.BlocksErased;
        Assert.Equal(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 2000, 0, 8, slots: 1));
        Assert.Equal(before + 2, flash.BlocksErased);
        var cells = new byte[Sector];
        Assert.Equal(FlashStatus.Ok, flash.Read(3 * Sector, cells, 0, Sector));
        Assert.All(cells, b => Assert.Equal(0xFF, b));
        Assert.Equal(8, area.Current(out _)!.ImageSeq);
    }
}

using SecureOta.Agent.Update.Staging;
using SecureOta.DeviceTests.Fakes;
using SecureOta.Drivers.Flash;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The agent's boot-state writes never replace the boot stage's newest record (docs/boot-protocol.md,
/// "A/B slots"; the C side's bs_state_write_keeping_boot): a second request goes into the bank of the
/// first, appended after it; a power cut while writing it leaves the first (and the boot stage's record)
/// in place. Records are appended in a bank's first sector with no erase until it is full; a full bank's
/// log sector is erased only when it does not read erased (as bs_state.c's free_slot and erase_bank).
/// </summary>
public class BootStateAreaTests
{
    private const int Sector = 4096;
    private const int Slots = Sector / BootStateRecord.Size;

    private static (StrictRamFlash Flash, BootStateArea Area) BoardWithBootRecord(byte home)
    {
        var flash = new StrictRamFlash(4 * Sector, Sector, 4);
        var idle = new BootStateRecord { Seq = 5, State = BootStateRecord.StateIdle, Writer = BootStateRecord.WriterBoot, ImageSeq = 6, Slots = home, Home = home };
        var raw = idle.Encode();
        Assert.Equal(FlashStatus.Ok, flash.Write(0, raw, 0, raw.Length));
        return (flash, new BootStateArea(flash));
    }

    // The bank's record as the boot stage reads it: the valid one in the last slot before the first erased slot.
    private static (BootStateRecord? Record, int Slot) BankRecord(StrictRamFlash flash, int bank)
    {
        var raw = new byte[BootStateRecord.Size];
        BootStateRecord? found = null;
        int at = -1;
        for (int slot = 0; slot < Slots; slot++)
        {
            Assert.Equal(FlashStatus.Ok, flash.Read(bank * 2 * Sector + slot * BootStateRecord.Size, raw, 0, raw.Length));
            if (raw.All(b => b == 0xFF)) break;
            if (BootStateRecord.Decode(raw) is { } r) (found, at) = (r, slot);
        }
        return (found, at);
    }

    [Fact]
    public void ASecondRequest_GoesAfterTheFirst_AndTheBootStagesRecordStays()
    {
        var (flash, area) = BoardWithBootRecord(home: 1);
        int erased = flash.BlocksErased;
        Assert.Equal(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 1000, 0, 7, slots: 0));
        Assert.Equal(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 2000, 0, 8, slots: 0));
        Assert.Equal(erased, flash.BlocksErased); // both appended into erased slots: no erase

        var (boot, _) = BankRecord(flash, 0);
        var (request, slot) = BankRecord(flash, 1);
        Assert.NotNull(boot);
        Assert.Equal(BootStateRecord.WriterBoot, boot!.Writer);
        Assert.Equal(1, boot.Home);
        Assert.NotNull(request);
        Assert.Equal(1, slot);
        Assert.Equal(BootStateRecord.StateRequested, request!.State);
        Assert.Equal(8, request.ImageSeq);
        Assert.Equal(0, request.Slots);
        Assert.True(request.Seq > boot.Seq);
        area.Current(out int bank);
        Assert.Equal(1, bank);
    }

    [Fact]
    public void APowerCutDuringTheSecondRequest_LeavesTheFirstAndTheBootStagesRecord()
    {
        var (flash, area) = BoardWithBootRecord(home: 0);
        Assert.Equal(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 1000, 0, 7, slots: 1));
        flash.CutPowerAfter(0); // the second request's program is torn
        Assert.NotEqual(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 2000, 0, 8, slots: 1));
        flash.PowerOn();

        var current = area.Current(out int bank);
        Assert.NotNull(current);
        Assert.Equal(1, bank);
        Assert.Equal(7, current!.ImageSeq); // the torn record is not the bank's: the one before it is
        var (boot, _) = BankRecord(flash, 0);
        Assert.Equal(BootStateRecord.WriterBoot, boot!.Writer);

        // The torn slot is used up: the next request goes after it.
        Assert.Equal(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 3000, 0, 9, slots: 1));
        var (request, slot) = BankRecord(flash, 1);
        Assert.Equal(9, request!.ImageSeq);
        Assert.Equal(2, slot);
    }

    [Fact]
    public void AFullBank_IsErased_ItsLogSectorOnlyWhenItDoesNotReadErased()
    {
        var (flash, area) = BoardWithBootRecord(home: 0);
        int before = flash.BlocksErased;
        for (int i = 0; i < Slots; i++)
            Assert.Equal(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 1000, 0, 7 + i, slots: 1));
        Assert.Equal(before, flash.BlocksErased); // bank 1's first sector filled without an erase

        Assert.Equal(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 1000, 0, 100, slots: 1));
        Assert.Equal(before + 1, flash.BlocksErased); // full: its first sector erased; the log sector was blank
        Assert.Equal((100, 0), (BankRecord(flash, 1).Record!.ImageSeq, BankRecord(flash, 1).Slot));

        // Full again, and a stale progress-log entry (an earlier swap's) in bank 1's second sector: erased too.
        for (int i = 1; i < Slots; i++)
            Assert.Equal(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 1000, 0, 100 + i, slots: 1));
        Assert.Equal(FlashStatus.Ok, flash.Write(3 * Sector + 64, [1, 2, 3, 0], 0, 4));
        before = flash.BlocksErased;
        Assert.Equal(FlashStatus.Ok, area.RequestInstall(BootStateRecord.ComponentDeploy, 2000, 0, 200, slots: 1));
        Assert.Equal(before + 2, flash.BlocksErased);
        var cells = new byte[Sector];
        Assert.Equal(FlashStatus.Ok, flash.Read(3 * Sector, cells, 0, Sector));
        Assert.All(cells, b => Assert.Equal(0xFF, b));
        Assert.Equal(200, area.Current(out _)!.ImageSeq);
        Assert.Equal(BootStateRecord.WriterBoot, BankRecord(flash, 0).Record!.Writer);
    }
}

using SecureOta.DeviceSimulator.Device;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The boot stage in process (libbootsim.so through P/Invoke) is the bootsim process, byte for byte:
/// from the same staged flash, with and without a (torn) power cut at a flash operation, both leave the
/// same flash image, the same counter and print the same line.
/// </summary>
public sealed class InProcessBootStageTests : IDisposable
{
    private readonly AgentRig _rig = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("inproc-boot-").FullName;

    public void Dispose()
    {
        _rig.Dispose();
        Directory.Delete(_dir, true);
    }

    private static string Bootsim()
    {
        var path = BootStage.Locate();
        Assert.True(path is not null, "out/bin/bootsim is missing: run 'make build' first");
        Assert.True(InProcessBootStage.Locate(path!) is not null, "out/bin/libbootsim.so is missing: run 'make build' first");
        return path!;
    }

    // A board from the given flash image and counter, booted once by one kind of boot stage.
    private (string Line, int Code, byte[] Image, ulong Counter, BootStats? Stats) BootOnce(byte[] image, bool inProcess, int cut, string name)
    {
        var flash = new BoardFlash();
        flash.FromImage(image, name);
        var stage = new BootStage(flash, Path.Combine(_dir, name + ".flash"), Bootsim(), inProcess);
        Assert.Equal(inProcess, stage.InProcess);
        stage.Configure(_rig.VendorKey.ExportSubjectPublicKeyInfoPem(), _rig.VendorId, _rig.ClassId, 6);
        var (code, line) = stage.Boot(cut);
        flash.PowerOn();
        return (line, code, flash.ToImage(), BootConfig.Load(stage.FlashFile + ".cfg").Counter, stage.LastStats);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(40)]
    [InlineData(97)]
    public void FromTheSameFlash_BothLeaveTheSameBytes_AndSayTheSame(int cut)
    {
        var staged = _rig.Engine().Stage(new MemorySource(_rig.DataSet(AgentRig.Image(150_001, 31), 7, encrypt: true)));
        Assert.True(staged.IsOk, staged.ToString());
        var image = _rig.Flash.ToImage();

        var process = BootOnce(image, inProcess: false, cut, "process" + cut);
        var library = BootOnce(image, inProcess: true, cut, "library" + cut);

        Assert.Equal(process.Line, library.Line);
        Assert.Equal(process.Code, library.Code);
        Assert.Equal(process.Counter, library.Counter);
        Assert.True(process.Image.AsSpan().SequenceEqual(library.Image), "the flash images differ");
        // What the boot did, as device-sim charges it: the same counts either way (bootsim --stats, libbootsim's array).
        Assert.NotNull(library.Stats);
        Assert.Equal(process.Stats, library.Stats);
        Assert.True(library.Stats!.Signatures >= 1 && library.Stats.BytesHashed >= 150_001 && library.Stats.BytesRead >= 150_001,
            $"the install's checks are counted: {library.Stats}");
        if (cut < 0) Assert.True(library.Stats.Erases > 0 && library.Stats.Pages > 0, $"the swap's erases and programs are counted: {library.Stats}");
        Assert.StartsWith(cut < 0 ? "boot: installed deploy seq=7" : "boot: power cut at flash operation " + (cut + 1) + " (torn)", library.Line);
        Assert.Equal(cut < 0 ? 0 : BootStage.PowerCutExit, library.Code);
        Assert.False(image.AsSpan().SequenceEqual(library.Image) && cut != 0, "the boot changed nothing");
    }

    [Fact]
    public void ABrokenConfiguration_IsAnError_NotACrash()
    {
        var flash = new BoardFlash();
        var stage = new BootStage(flash, Path.Combine(_dir, "broken.flash"), Bootsim());
        stage.Configure("not a key", _rig.VendorId, _rig.ClassId, 0);
        var (code, line) = stage.Boot();
        Assert.Equal(1, code);
        Assert.Contains("not a P-256 public key", line);
    }
}

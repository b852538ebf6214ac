using SecureOta.DeviceSimulator.Device;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// Runs the real C boot stage (out/bin/bootsim) on a rig's flash, through the device simulator's
/// BootStage: the partitions saved into one flash file, booted, and loaded back.
/// </summary>
public sealed class BootSim(AgentRig rig, string dir)
{
    private readonly BootStage _stage = new(rig.Flash, Path.Combine(dir, "device.flash"), Bootsim());

    public string Flash => _stage.FlashFile;

    /// <summary>Writes the bootsim configuration: the vendor key, ids and the chip's counter.</summary>
    public void Configure(long counter) => _stage.Configure(rig.VendorKey.ExportSubjectPublicKeyInfoPem(), rig.VendorId, rig.ClassId, counter);

    public string Boot() => _stage.Boot().Line;

    /// <summary>The last boot's A/B slot bits (what boots, what is confirmed); 0 on a swap board.</summary>
    public byte Slots => _stage.Slots;
    public byte Home => _stage.Home;

    private static string Bootsim()
    {
        var path = BootStage.Locate();
        Assert.True(path is not null, "out/bin/bootsim is missing: run 'make build' first");
        return path!;
    }
}

using System.Diagnostics;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// The C# agent and the C boot stage agree on the staging layout and the boot-state records: the agent
/// stages into flash laid out like the 4 MB board, bootsim boots that flash, the agent confirms, bootsim
/// completes the confirmation, and the chip's counter follows.
/// </summary>
public sealed class BootStageIntegrationTests : IDisposable
{
    private readonly AgentRig _rig = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("agent-boot-").FullName;

    public void Dispose()
    {
        _rig.Dispose();
        Directory.Delete(_dir, true);
    }

    private static string Bootsim()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "out", "bin", "bootsim");
            if (File.Exists(Path.Combine(dir.FullName, "Agent.sln")))
            {
                Assert.True(File.Exists(path), "out/bin/bootsim is missing: run 'make build' first");
                return path;
            }
        }
        throw new InvalidOperationException("repository root not found");
    }

    private string Flash => Path.Combine(_dir, "device.flash");

    private void SaveFlash()
    {
        using var file = File.Create(Flash);
        foreach (var area in new[] { _rig.BootState, _rig.Staging, _rig.Deploy, _rig.Nanoclr })
        {
            var bytes = new byte[area.Size];
            area.Read(0, bytes, 0, bytes.Length);
            file.Write(bytes);
        }
    }

    private void LoadFlash()
    {
        var all = File.ReadAllBytes(Flash);
        int offset = 0;
        foreach (var area in new[] { _rig.BootState, _rig.Staging, _rig.Deploy, _rig.Nanoclr })
        {
            var fresh = new byte[area.Size];
            Array.Copy(all, offset, fresh, 0, area.Size);
            // Re-create the strict model's content: erase, then program what the boot stage left.
            area.Erase(0, area.Size);
            for (int i = 0; i < area.Size; i += AgentRig.Sector)
            {
                var sector = fresh.AsSpan(i, AgentRig.Sector).ToArray();
                if (sector.Any(b => b != 0xFF)) area.Write(i, sector, 0, sector.Length);
            }
            offset += area.Size;
        }
    }

    private string Boot()
    {
        SaveFlash();
        var psi = new ProcessStartInfo(Bootsim(), ["boot", Flash]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000));
        LoadFlash();
        return output.Trim();
    }

    [Fact]
    public void TheAgentStages_TheBootStageInstalls_TheAgentConfirms()
    {
        var pub = Path.Combine(_dir, "vendor.pub.pem");
        File.WriteAllText(pub, _rig.VendorKey.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(Flash + ".cfg", $"pub {pub}\nvendor {Convert.ToHexString(_rig.VendorId).ToLowerInvariant()}\nclass {Convert.ToHexString(_rig.ClassId).ToLowerInvariant()}\ncounter 6\n");
        var image = AgentRig.Image(200_000, 21);
        var staged = _rig.Engine().Stage(new MemorySource(_rig.DataSet(image, 7, encrypt: true)));
        Assert.True(staged.IsOk, staged.ToString());

        Assert.Equal("boot: installed deploy seq=7 (testing)", Boot());
        var installed = new byte[image.Length];
        _rig.Deploy.Read(0, installed, 0, installed.Length);
        Assert.Equal(image, installed);

        var confirm = _rig.Engine().ConfirmRunningImage();
        Assert.True(confirm.IsOk, confirm.ToString());
        Assert.Equal(7, _rig.Driver.ReadCounter(SecurityChip.OidRollbackCounter, out _));
        Assert.Equal("boot: confirmed deploy seq=7", Boot());
        Assert.Equal("boot: nothing pending", Boot());
    }

    [Fact]
    public void AnImageThatIsNotConfirmed_IsRevertedByTheBootStage()
    {
        var pub = Path.Combine(_dir, "vendor.pub.pem");
        File.WriteAllText(pub, _rig.VendorKey.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(Flash + ".cfg", $"pub {pub}\nvendor {Convert.ToHexString(_rig.VendorId).ToLowerInvariant()}\nclass {Convert.ToHexString(_rig.ClassId).ToLowerInvariant()}\ncounter 6\n");
        var old = AgentRig.Image(50_000, 30);
        _rig.Deploy.Write(0, old, 0, old.Length);
        Assert.True(_rig.Engine().Stage(new MemorySource(_rig.DataSet(AgentRig.Image(60_000, 31), 7))).IsOk);
        Assert.Equal("boot: installed deploy seq=7 (testing)", Boot());
        Assert.Equal("boot: reverted deploy to seq=6 (not confirmed)", Boot());
        var back = new byte[old.Length];
        _rig.Deploy.Read(0, back, 0, back.Length);
        Assert.Equal(old, back);
        Assert.Equal(0, _rig.Driver.ReadCounter(SecurityChip.OidRollbackCounter, out _));
    }
}

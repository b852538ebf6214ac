using System.Diagnostics;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// Runs the real C boot stage (out/bin/bootsim) on a rig's flash: saves the four partitions into one
/// flash file in the 4 MB board's order, boots, and loads back what the boot stage left.
/// </summary>
public sealed class BootSim(AgentRig rig, string dir)
{
    /// <summary>Writes the bootsim configuration: the vendor key, ids and the chip's counter.</summary>
    public void Configure(long counter)
    {
        var pub = Path.Combine(dir, "vendor.pub.pem");
        File.WriteAllText(pub, rig.VendorKey.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(Flash + ".cfg", $"pub {pub}\nvendor {Convert.ToHexString(rig.VendorId).ToLowerInvariant()}\nclass {Convert.ToHexString(rig.ClassId).ToLowerInvariant()}\ncounter {counter}\n");
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

    public string Flash => Path.Combine(dir, "device.flash");

    private void SaveFlash()
    {
        using var file = File.Create(Flash);
        foreach (var area in new[] { rig.BootState, rig.Staging, rig.Deploy, rig.Nanoclr })
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
        foreach (var area in new[] { rig.BootState, rig.Staging, rig.Deploy, rig.Nanoclr })
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

    public string Boot()
    {
        SaveFlash();
        var psi = new ProcessStartInfo(Bootsim(), ["boot", Flash]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000));
        LoadFlash();
        return output.Trim();
    }

}

using SecureOta.Agent.Tests;

namespace SecureOta.Bench;

/// <summary>
/// Memory of the agent's staging run (issue 6: "bounded and independent of the image size"): bytes
/// allocated on the thread while UpdateEngine.Stage verifies, decrypts, hashes and writes encrypted
/// images of 256 KiB, 1 MiB and 4 MiB, against the image size itself (what buffering the image would
/// cost) measured in the same run. The figure is an upper bound for the device: it includes the host
/// chip emulator's own allocations, and the engine's fixed buffers are allocated before measuring. Staging
/// is a PreallocatedFlash, so the flash model's own storage is not counted.
/// </summary>
public static class StagingMemoryBench
{
    public static IEnumerable<BenchRow> Run()
    {
        foreach (var kib in new[] { 256, 1024, 4096 })
        {
            using var rig = new AgentRig(stagingSize: 64 * 1024);
            var image = AgentRig.Image(kib * 1024, kib);
            var dataSet = rig.DataSet(image, 7, encrypt: true);
            var engine = rig.EngineOn(new PreallocatedFlash((kib + 64) * 1024, AgentRig.Sector, 4), maxImage: image.Length);
            var source = new MemorySource(dataSet);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var outcome = engine.Stage(source);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (!outcome.IsOk) throw new InvalidOperationException("staging failed in the benchmark: " + outcome);
            yield return new BenchRow("agent", $"stage {kib} KiB, encr.", "KiB allocated", allocated / 1024.0, "image size (buffering it)", kib);
            yield return new BenchRow("agent", $"stage {kib} KiB, encr.", "KiB allocated", allocated / 1024.0, "issue 14 target, KiB", 16);
        }
    }
}

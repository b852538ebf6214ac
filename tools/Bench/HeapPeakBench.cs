using SecureOta.Agent.Tests;
using SecureOta.Drivers.Flash;

namespace SecureOta.Bench;

/// <summary>
/// The managed heap the agent needs while it stages an update (README, "Memory"): the peak of live
/// managed bytes (a full collection, GC.GetTotalMemory(true), sampled at every 8th flash write and at
/// every erase of the staging partition) above the level before the engine was created, for encrypted
/// images of 256 KiB and 1 MiB, against the image size measured in the same run. An upper bound for the
/// board: host objects are larger (64-bit headers and references) and the chip emulator's transient
/// objects are counted too; the data set itself is held outside the measured growth (the board streams it),
/// and so is the staging partition's storage (PreallocatedFlash, allocated before the baseline).
/// </summary>
public static class HeapPeakBench
{
    public static IEnumerable<BenchRow> Run()
    {
        foreach (var kib in new[] { 256, 1024, 4096 })
        {
            using var rig = new AgentRig(stagingSize: 64 * 1024);
            var image = AgentRig.Image(kib * 1024, kib);
            var dataSet = rig.DataSet(image, 7, encrypt: true);
            var source = new MemorySource(dataSet);
            var staging = new PreallocatedFlash((kib + 64) * 1024, AgentRig.Sector, 4); /* its cells before the baseline */
            long baseline = GC.GetTotalMemory(forceFullCollection: true);
            var sampler = new SamplingFlash(staging, baseline);
            var engine = rig.EngineOn(sampler, maxImage: image.Length);
            sampler.Sample();
            var outcome = engine.Stage(source);
            sampler.Sample();
            if (!outcome.IsOk) throw new InvalidOperationException("staging failed in the benchmark: " + outcome);
            // Everything that was live at the baseline stays live to the end, so the peak is the growth only.
            GC.KeepAlive(engine);
            GC.KeepAlive(image);
            GC.KeepAlive(dataSet);
            GC.KeepAlive(source);
            GC.KeepAlive(staging);
            yield return new BenchRow("agent", $"heap peak {kib} KiB", "KiB live peak", sampler.Peak / 1024.0, "image size", kib);
            yield return new BenchRow("agent", $"heap peak {kib} KiB", "KiB live peak", sampler.Peak / 1024.0, "issue 14 target, KiB", 16);
        }
    }

    /// <summary>The staging partition, with a live-heap sample taken now and then around its operations.</summary>
    private sealed class SamplingFlash(IFlashArea inner, long baseline) : IFlashArea
    {
        private int _writes;

        public long Peak { get; private set; }

        public int Size => inner.Size;
        public int EraseBlockSize => inner.EraseBlockSize;
        public int WriteAlignment => inner.WriteAlignment;
        public byte ErasedValue => inner.ErasedValue;

        public void Sample() => Peak = Math.Max(Peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);

        public FlashStatus Read(int offset, byte[] buffer, int bufferOffset, int count) => inner.Read(offset, buffer, bufferOffset, count);

        public FlashStatus Write(int offset, byte[] buffer, int bufferOffset, int count)
        {
            if (_writes++ % 8 == 0) Sample();
            return inner.Write(offset, buffer, bufferOffset, count);
        }

        public FlashStatus Erase(int offset, int length)
        {
            Sample();
            return inner.Erase(offset, length);
        }
    }
}

using SecureOta.Agent.Tests;
using SecureOta.Drivers.Flash;

namespace SecureOta.Bench;

/// <summary>
/// The managed heap the agent needs while it stages an update (README, "Memory"): the peak of live
/// managed bytes (LiveBytes: what a forced, compacting full collection leaves, sampled at every 8th flash
/// write and at every erase of the staging partition) above the level before the engine was created, for encrypted
/// images of 256 KiB and 1 MiB, against the image size measured in the same run. An upper bound for the
/// board: host objects are larger (64-bit headers and references) and the chip emulator's transient
/// objects are counted too; the data set itself is held outside the measured growth (the board streams it),
/// and so is the flash's storage (the staging and boot-state partitions as PreallocatedFlash, allocated
/// before the baseline: the strict test flash allocates a block's cells when it is first programmed, which
/// counted 4 KiB of the boot-state area's storage as the agent's until 2026-12-02).
/// </summary>
public static class HeapPeakBench
{
    private const int Runs = 3;

    public static IEnumerable<BenchRow> Run()
    {
        // Once unmeasured: what the first use of each type allocates (the runtime's caches, the chip emulator's
        // first-use objects, the agent's static tables such as the AES S-boxes, which a board allocates once
        // after start-up) is not any update's working set; it took the first run's peak to about 30 KiB.
        Peak(64);
        foreach (var kib in new[] { 256, 1024, 4096 })
        {
            // The median of three runs, in case a sample lands while the chip emulator (in this process, on
            // the same heap) holds a transient object.
            var peaks = Enumerable.Range(0, Runs).Select(_ => Peak(kib)).Order().ToList();
            double peak = peaks[Runs / 2] / 1024.0;
            yield return new BenchRow("agent", $"heap peak {kib} KiB", "KiB live peak", peak, "image size", kib);
            yield return new BenchRow("agent", $"heap peak {kib} KiB", "KiB live peak", peak, "issue 14 target, KiB", 16);
        }
    }

    // One encrypted staging of an image of kib KiB: the peak of live bytes above the baseline.
    private static long Peak(int kib)
    {
        using var rig = new AgentRig(stagingSize: 64 * 1024);
        var image = AgentRig.Image(kib * 1024, kib);
        var dataSet = rig.DataSet(image, 7, encrypt: true);
        var source = new MemorySource(dataSet);
        var staging = new PreallocatedFlash((kib + 64) * 1024, AgentRig.Sector, 4); /* its cells before the baseline */
        var bootState = new PreallocatedFlash(rig.BootState.Size, AgentRig.Sector, 4); /* so are the boot-state area's */
        long baseline = LiveBytes();
        var sampler = new SamplingFlash(staging, baseline);
        var engine = rig.EngineOn(sampler, maxImage: image.Length, bootState: bootState);
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
        GC.KeepAlive(bootState);
        return sampler.Peak;
    }

    /// <summary>
    /// The bytes of live objects: a forced, blocking, compacting full collection, then its own figures (each
    /// generation's size after it less its free space). GC.GetTotalMemory(true), used until 2026-12-02,
    /// counts allocator space beyond the live objects: its readings of one and the same staging moved in
    /// steps of 4 and 8 KiB from sample to sample (even below the engine's two 4 KiB buffers), which were
    /// the "single runs up to 20 KiB"; this measure reads the same to the byte across runs and sizes.
    /// </summary>
    private static long LiveBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        long live = 0;
        foreach (var g in info.GenerationInfo) live += g.SizeAfterBytes - g.FragmentationAfterBytes;
        return live;
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

        public void Sample() => Peak = Math.Max(Peak, LiveBytes() - baseline);

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

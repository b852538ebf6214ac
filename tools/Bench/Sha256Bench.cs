using System.Diagnostics;
using SecureOta.Core.Crypto;

namespace SecureOta.Bench;

/// <summary>
/// The device SHA-256 (host twin) streamed through a 4 KiB buffer, as the agent will hash an image,
/// against .NET's SHA-256 over the same bytes in the same run. Throughput is the median of several
/// rounds; allocation is what one whole streamed digest allocates (it must not grow with the size).
/// </summary>
public static class Sha256Bench
{
    private const int Chunk = 4096;
    private const int Rounds = 5;

    public static IEnumerable<BenchRow> Run()
    {
        foreach (int size in new[] { 256 * 1024, 1024 * 1024, 4 * 1024 * 1024 })
        {
            var data = new byte[size];
            new Random(42).NextBytes(data);
            var device = new Sha256();
            using var reference = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);

            // Same digest first: a fast wrong hash is no result.
            if (!Stream(device, data).AsSpan().SequenceEqual(System.Security.Cryptography.SHA256.HashData(data)))
                throw new InvalidOperationException("device SHA-256 disagrees with .NET");

            double deviceMBs = Median(() => Stream(device, data), size);
            double referenceMBs = Median(() => { reference.AppendData(data); return reference.GetHashAndReset(); }, size);
            long before = GC.GetAllocatedBytesForCurrentThread();
            Stream(device, data);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            string label = size >= 1024 * 1024 ? $"{size / (1024 * 1024)} MiB image" : $"{size / 1024} KiB image";
            yield return new BenchRow("sha256", label, "MB/s", deviceMBs, ".NET SHA256 (native)", referenceMBs);
            yield return new BenchRow("sha256", label, "bytes alloc", allocated, "image size", size);
        }
    }

    private static byte[] Stream(Sha256 sha, byte[] data)
    {
        for (int offset = 0; offset < data.Length; offset += Chunk)
            sha.Update(data, offset, Math.Min(Chunk, data.Length - offset));
        return sha.Finish();
    }

    private static double Median(Func<byte[]> hash, int size)
    {
        for (int i = 0; i < 3; i++) hash(); // warm-up: let tiered JIT settle before timing
        var rates = new double[Rounds];
        for (int i = 0; i < Rounds; i++)
        {
            var watch = Stopwatch.StartNew();
            hash();
            rates[i] = size / 1e6 / watch.Elapsed.TotalSeconds;
        }
        Array.Sort(rates);
        return rates[Rounds / 2];
    }
}

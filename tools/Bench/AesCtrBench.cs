using System.Diagnostics;
using System.Security.Cryptography;
using SecureOta.Core.Crypto;

namespace SecureOta.Bench;

/// <summary>
/// Decrypting a 1 MiB image with the device's managed AES-128-CTR (what a board without the native
/// Aes API runs) against .NET's native AES generating the same keystream, in the same run.
/// </summary>
public static class AesCtrBench
{
    private const int Size = 1024 * 1024;
    private const int Chunk = 4096;

    public static IEnumerable<BenchRow> Run()
    {
        var key = new byte[16];
        var iv = new byte[16];
        var data = new byte[Size];
        new Random(3).NextBytes(data);
        new Random(4).NextBytes(key);

        double managed = Median(() =>
        {
            var ctr = new AesCtr(new Aes128(key), iv);
            for (int o = 0; o < Size; o += Chunk) ctr.Transform(data, o, Chunk);
        });
        using var aes = Aes.Create();
        aes.Key = key;
        var counters = new byte[Size];
        var keystream = new byte[Size];
        double native = Median(() =>
        {
            aes.EncryptEcb(counters, keystream, PaddingMode.None);
            for (int i = 0; i < Size; i++) data[i] ^= keystream[i];
        });
        yield return new BenchRow("aes-ctr", "1 MiB image", "MB/s", managed, ".NET AES (native)", native);
    }

    private static double Median(Action run)
    {
        for (int i = 0; i < 2; i++) run();
        var rates = new double[5];
        for (int i = 0; i < rates.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            run();
            rates[i] = Size / 1e6 / watch.Elapsed.TotalSeconds;
        }
        Array.Sort(rates);
        return rates[rates.Length / 2];
    }
}

using SecureOta.Core.Crypto;
using SecureOta.DeviceSimulator.Model;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>
/// Issue 14, "the model charges the path the device code really takes": a simulated board's SHA-256 and
/// AES-CTR cost one native call each plus their bytes at the accelerator's rate (Esp32Model: ESP-IDF's CI
/// floors for the ESP32), the managed estimate costs its bytes at the interpreted rate; the digest and the
/// ciphertext are the host's either way.
/// </summary>
public sealed class ModeledCryptoTests
{
    private const int Chunk = 4096;

    [Fact]
    public void OnTheInteropPath_EachCallCostsANativeCallAndItsBytesAtTheAcceleratorsRate()
    {
        var model = new Esp32Model();
        var time = new DeviceTime();
        var sha = new TimedSha256(new Sha256(), time, model);
        var data = new byte[Chunk];
        sha.Update(data, 0, Chunk);
        long update = model.NativeCallMicroseconds + (long)(Chunk * 1_000_000.0 / model.ShaBytesPerSecond);
        Assert.Equal(update, time.CryptoMicroseconds);
        var digest = new byte[32];
        sha.Finish(digest, 0);
        Assert.Equal(update + model.NativeCallMicroseconds, time.CryptoMicroseconds); /* the finish is a call of its own */
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(data), digest);

        // Two half chunks cost one native call more than the whole chunk: the call, not the byte, is what a
        // per-block loop would multiply.
        var halves = new DeviceTime();
        var sha2 = new TimedSha256(new Sha256(), halves, model);
        sha2.Update(data, 0, Chunk / 2);
        sha2.Update(data, Chunk / 2, Chunk / 2);
        Assert.Equal(2 * model.NativeCallMicroseconds + 2 * (long)(Chunk / 2 * 1_000_000.0 / model.ShaBytesPerSecond), halves.CryptoMicroseconds);
        Assert.True(halves.CryptoMicroseconds > update);
    }

    [Fact]
    public void TheChunksAesCtr_IsOneCall_AndTheManagedEstimateChargesTheInterpretedRate()
    {
        var key = new byte[16];
        var iv = new byte[16];
        foreach (var managed in new double?[] { null, 10_000 })
        {
            var model = new Esp32Model { ManagedCryptoBytesPerSecond = managed };
            var time = new DeviceTime();
            var block = new TimedAesFactory(new SecureOta.Core.Host.Crypto.DotNetAesFactory(), time, model).Create(key);
            var data = new byte[Chunk];
            Assert.True(((IAesCtrTransform)block).TransformCtr(iv, 0, data, 0, Chunk));
            long expected = managed is double rate
                ? (long)(Chunk * 1_000_000.0 / rate)
                : model.NativeCallMicroseconds + (long)(Chunk * 1_000_000.0 / model.AesBytesPerSecond);
            Assert.Equal(expected, time.CryptoMicroseconds);
            Assert.NotEqual(new byte[Chunk], data); /* the keystream was applied */
        }

        // The interpreted estimate is what makes the interop matter: over 100 x dearer per chunk.
        Assert.True(new Esp32Model { ManagedCryptoBytesPerSecond = 10_000 }.AgentSha(Chunk) > 100 * new Esp32Model().AgentSha(Chunk));
    }
}

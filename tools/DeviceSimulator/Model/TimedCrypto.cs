using SecureOta.Core.Crypto;

namespace SecureOta.DeviceSimulator.Model;

/// <summary>
/// SHA-256 as on the board: the host computes it, the board's modeled time is charged: each update a
/// native call over its bytes, the finish a native call (Agent/App/Esp32/InteropSha256.cs).
/// </summary>
public sealed class TimedSha256(ISha256 inner, DeviceTime time, Esp32Model model) : ISha256
{
    public void Update(byte[] data, int offset, int count)
    {
        time.Crypto(model.AgentSha(count));
        inner.Update(data, offset, count);
    }

    public void Finish(byte[] output, int outputOffset)
    {
        time.Crypto(model.AgentSha(0));
        inner.Finish(output, outputOffset);
    }

    public void Reset() => inner.Reset();
}

/// <summary>
/// AES as on the board: single blocks (the key unwrap) charged per block, and the payload's AES-CTR one
/// chunk per call when the inner cipher offers it (IAesCtrTransform), as the board's interop does
/// (Agent/App/Esp32/InteropAesFactory.cs, issue 14): the same path, the same bytes charged.
/// </summary>
public sealed class TimedAesFactory(IAesFactory inner, DeviceTime time, Esp32Model model) : IAesFactory
{
    public IAesBlock Create(byte[] key) => new Block(inner.Create(key), time, model);

    private sealed class Block(IAesBlock inner, DeviceTime time, Esp32Model model) : IAesBlock, IAesCtrTransform
    {
        public bool TransformCtr(byte[] iv, long position, byte[] data, int offset, int count)
        {
            if (inner is not IAesCtrTransform chunks || !chunks.TransformCtr(iv, position, data, offset, count)) return false;
            time.Crypto(model.AgentAes(count));
            return true;
        }

        public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            time.Crypto(model.AgentAes(16));
            inner.EncryptBlock(input, inputOffset, output, outputOffset);
        }

        public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            time.Crypto(model.AgentAes(16));
            inner.DecryptBlock(input, inputOffset, output, outputOffset);
        }
    }
}

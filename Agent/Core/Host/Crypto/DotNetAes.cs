using System;
using System.Security.Cryptography;
using SecureOta.Core.Crypto;

namespace SecureOta.Core.Host.Crypto
{
    /// <summary>
    /// Host adapter: one AES key's block permutation over System.Security.Cryptography (ECB, one block),
    /// and AES-CTR over a whole chunk in one call (IAesCtrTransform), as the board's native code does, so
    /// the host twin runs AesCtr's chunk path and tests it against the managed keystream.
    /// </summary>
    public sealed class DotNetAesBlock : IAesBlock, IAesCtrTransform, IDisposable
    {
        private readonly Aes _aes = Aes.Create();

        public DotNetAesBlock(byte[] key)
        {
            if (key is null || key.Length != 16) throw new ArgumentException("AES-128 needs a 16-byte key");
            _aes.Key = key;
        }

        public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset) =>
            _aes.EncryptEcb(input.AsSpan(inputOffset, 16), output.AsSpan(outputOffset, 16), PaddingMode.None);

        public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset) =>
            _aes.DecryptEcb(input.AsSpan(inputOffset, 16), output.AsSpan(outputOffset, 16), PaddingMode.None);

        public bool TransformCtr(byte[] iv, long position, byte[] data, int offset, int count)
        {
            if (count == 0) return true;
            long first = position / 16;
            int within = (int)(position % 16);
            int blocks = (within + count + 15) / 16;
            var counters = new byte[blocks * 16];
            for (int b = 0; b < blocks; b++)
            {
                Array.Copy(iv, 0, counters, b * 16, 16);
                AesCtr.AddToCounter(counters, b * 16, first + b);
            }
            var stream = _aes.EncryptEcb(counters, PaddingMode.None);
            for (int i = 0; i < count; i++) data[offset + i] ^= stream[within + i];
            return true;
        }

        public void Dispose() => _aes.Dispose();
    }

    /// <summary>Makes DotNetAesBlock instances.</summary>
    public sealed class DotNetAesFactory : IAesFactory
    {
        public IAesBlock Create(byte[] key) => new DotNetAesBlock(key);
    }
}

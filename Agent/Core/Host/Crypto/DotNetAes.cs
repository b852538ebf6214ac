using System;
using System.Security.Cryptography;
using SecureOta.Core.Crypto;

namespace SecureOta.Core.Host.Crypto
{
    /// <summary>Host adapter: one AES key's block permutation over System.Security.Cryptography (ECB, one block).</summary>
    public sealed class DotNetAesBlock : IAesBlock, IDisposable
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

        public void Dispose() => _aes.Dispose();
    }

    /// <summary>Makes DotNetAesBlock instances.</summary>
    public sealed class DotNetAesFactory : IAesFactory
    {
        public IAesBlock Create(byte[] key) => new DotNetAesBlock(key);
    }
}

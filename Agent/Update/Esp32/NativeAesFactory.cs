using System.Security.Cryptography;
using SecureOta.Core.Crypto;

namespace SecureOta.Agent.Update.Esp32
{
    /// <summary>
    /// AES-128 blocks through nanoFramework's native Aes (ECB; on ESP32 the mbedTLS/hardware AES of
    /// the firmware) instead of the managed Aes128, for the payload's AES-CTR keystream and the key
    /// unwrap. Each block is one native call and one 16-byte array: the speed-up over the interpreted
    /// managed AES is expected but has not been measured on a board. Decryption of a block is used
    /// only by AES-KW unwrap.
    /// </summary>
    public sealed class NativeAesFactory : IAesFactory
    {
        public IAesBlock Create(byte[] key)
        {
            return new Block(key);
        }

        private sealed class Block : IAesBlock
        {
            private readonly Aes _aes;
            private readonly byte[] _in = new byte[16];

            public Block(byte[] key)
            {
                _aes = new Aes(CipherMode.ECB);
                _aes.Key = key;
            }

            public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
            {
                System.Array.Copy(input, inputOffset, _in, 0, 16);
                System.Array.Copy(_aes.Encrypt(_in), 0, output, outputOffset, 16);
            }

            public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
            {
                System.Array.Copy(input, inputOffset, _in, 0, 16);
                System.Array.Copy(_aes.Decrypt(_in), 0, output, outputOffset, 16);
            }
        }
    }
}

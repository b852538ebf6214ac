using SecureOta.Agent.Update.Esp32;
using SecureOta.Core.Crypto;

namespace SecureOta.Agent.Esp32
{
    /// <summary>
    /// AES-128 for the board: single blocks (the key unwrap) through nanoFramework's native Aes
    /// (NativeAesFactory), and the payload's AES-CTR one chunk per call on the ESP32's AES accelerator
    /// through the interop (SecureOta.Native.Crypto.NativeAes128Ctr, issue 14) instead of a native call
    /// per 16-byte block. A position beyond the interop's int range, or a refusal, falls back to the
    /// managed keystream over the native blocks (AesCtr).
    /// </summary>
    public sealed class InteropAesFactory : IAesFactory
    {
        private readonly NativeAesFactory _blocks = new NativeAesFactory();

        public IAesBlock Create(byte[] key)
        {
            return new Block(_blocks.Create(key), key);
        }

        private sealed class Block : IAesBlock, IAesCtrTransform
        {
            private readonly IAesBlock _block;
            private readonly byte[] _key = new byte[16];

            public Block(IAesBlock block, byte[] key)
            {
                _block = block;
                System.Array.Copy(key, _key, 16);
            }

            public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
            {
                _block.EncryptBlock(input, inputOffset, output, outputOffset);
            }

            public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
            {
                _block.DecryptBlock(input, inputOffset, output, outputOffset);
            }

            public bool TransformCtr(byte[] iv, long position, byte[] data, int offset, int count)
            {
                if (position < 0 || position > int.MaxValue)
                {
                    return false;
                }

                return SecureOta.Native.Crypto.NativeAes128Ctr(_key, iv, (int)position, data, offset, count) == SecureOta.Native.Crypto.Ok;
            }
        }
    }
}

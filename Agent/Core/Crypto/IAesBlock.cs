namespace SecureOta.Core.Crypto
{
    /// <summary>
    /// One AES key's block permutation (FIPS 197): the primitive AES-KW and AES-CTR are built on. On
    /// the device it can be the managed Aes128 or nanoFramework's native Aes in ECB mode; on the host
    /// System.Security.Cryptography.
    /// </summary>
    public interface IAesBlock
    {
        /// <summary>Encrypts the 16 bytes at inputOffset into output at outputOffset (may overlap exactly).</summary>
        void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset);

        /// <summary>Decrypts the 16 bytes at inputOffset into output at outputOffset (may overlap exactly).</summary>
        void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset);
    }

    /// <summary>
    /// A block cipher that can also run AES-CTR over a whole chunk in one call (native code on the board,
    /// issue 14): XORs data[offset..offset+count) with the keystream of the message whose first counter
    /// block is iv, from byte position on (NIST SP 800-38A 6.5, 128-bit big-endian increment). False when
    /// it cannot (the caller then runs the managed keystream): never a partial transform.
    /// </summary>
    public interface IAesCtrTransform
    {
        bool TransformCtr(byte[] iv, long position, byte[] data, int offset, int count);
    }

    /// <summary>Makes an IAesBlock for a 16-byte key.</summary>
    public interface IAesFactory
    {
        IAesBlock Create(byte[] key);
    }
}

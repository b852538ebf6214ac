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

    /// <summary>Makes an IAesBlock for a 16-byte key.</summary>
    public interface IAesFactory
    {
        IAesBlock Create(byte[] key);
    }
}

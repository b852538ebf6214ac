namespace SecureOta.Core.Crypto
{
    /// <summary>
    /// Incremental SHA-256. On the device the managed Sha256 implements it; on the host an adapter over
    /// System.Security.Cryptography does (faster, and the oracle the managed code is tested against).
    /// </summary>
    public interface ISha256
    {
        void Update(byte[] data, int offset, int count);

        /// <summary>Writes the 32-byte digest at outputOffset and starts a new message.</summary>
        void Finish(byte[] output, int outputOffset);

        void Reset();
    }
}

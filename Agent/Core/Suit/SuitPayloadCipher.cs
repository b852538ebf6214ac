using SecureOta.Core.Cose;
using SecureOta.Core.Crypto;

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// Opens the decryptor of an encrypted payload: unwraps the content key with the KEK (A128KW) and
    /// sets up AES-128-CTR with the IV of the SUIT_Encryption_Info. Returns null when the key does not
    /// unwrap (wrong KEK or modified encryption info), never a decryptor with a wrong key.
    /// </summary>
    public static class SuitPayloadCipher
    {
        public static AesCtr OpenDecryptor(IAesFactory aes, byte[] kek, CoseEncryptInfo info)
        {
            if (kek == null || kek.Length != 16)
            {
                return null;
            }

            byte[] cek = AesKeyWrap.Unwrap(aes.Create(kek), info.WrappedKey);
            if (cek == null || cek.Length != 16)
            {
                return null;
            }

            AesCtr ctr = new AesCtr(aes.Create(cek), info.Iv);
            System.Array.Clear(cek, 0, cek.Length);
            return ctr;
        }
    }
}

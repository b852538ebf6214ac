using SecureOta.Core.Cose;
using SecureOta.Core.Crypto;

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// Both sides of payload encryption (docs/data-set-format.md, "Encryption"). Seal is what the
    /// vendor does: derive the KEK from the master secret, the salt and the class id, wrap the content
    /// key under it (A128KW), and set up AES-128-CTR. OpenDecryptor is what the device does with the
    /// KEK its chip derived: unwraps the content key with the KEK (A128KW) and
    /// sets up AES-128-CTR with the IV of the SUIT_Encryption_Info. Returns null when the key does not
    /// unwrap (wrong KEK or modified encryption info), never a decryptor with a wrong key.
    /// </summary>
    public static class SuitPayloadCipher
    {
        /// <summary>
        /// The encryption info for a payload sealed under a fresh content key, and (out) the AES-CTR
        /// that encrypts it. The caller supplies the random salt (32 bytes), content key and IV (16
        /// bytes each) and clears the content key afterwards; the KEK is cleared here.
        /// </summary>
        public static CoseEncryptInfo Seal(IAesFactory aes, ISha256 sha, byte[] masterSecret, byte[] classId, byte[] salt, byte[] cek, byte[] iv, out AesCtr encryptor)
        {
            byte[] kek = KekDerivation.DeriveKek(sha, masterSecret, salt, classId);
            CoseEncryptInfo info = new CoseEncryptInfo();
            info.Iv = iv;
            info.KeyId = KekDerivation.KeyId();
            info.Salt = salt;
            info.WrappedKey = AesKeyWrap.Wrap(aes.Create(kek), cek);
            System.Array.Clear(kek, 0, kek.Length);
            encryptor = new AesCtr(aes.Create(cek), iv);
            return info;
        }

        /// <summary>
        /// Reads a manifest's encryption info and checks that it names the update master secret and
        /// carries the 32-byte KEK derivation salt: the one check before a KEK is derived, wherever it
        /// is derived (the device's chip, update-tool verify).
        /// </summary>
        public static SuitResult ReadInfo(SuitParameters parameters, out CoseEncryptInfo info)
        {
            info = null;
            try
            {
                info = CoseEncryptInfo.Parse(parameters.EncryptionInfo, 0, parameters.EncryptionInfo.Length);
            }
            catch (CoseException e)
            {
                return new SuitResult(SuitError.DecryptionFailed, -1, "encryption info is invalid: " + e.Message);
            }
            catch (Cbor.CborException e)
            {
                return new SuitResult(SuitError.DecryptionFailed, -1, "encryption info is invalid: " + e.Message);
            }

            if (!SuitDigest.AreEqual(info.KeyId, KekDerivation.KeyId()))
            {
                return new SuitResult(SuitError.DecryptionFailed, -1, "encryption key id is not '" + KekDerivation.KeyIdText + "'");
            }

            if (info.Salt == null || info.Salt.Length != KekDerivation.SaltLength)
            {
                return new SuitResult(SuitError.DecryptionFailed, -1, "encryption info lacks the 32-byte KEK derivation salt");
            }

            return SuitResult.Ok;
        }

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

using SecureOta.Core.Cose;
using SecureOta.Core.Crypto;

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// Both sides of payload encryption (docs/data-set-format.md, "Encryption"). The vendor builds one
    /// recipient per kind of chip in the fleet, each wrapping the same content key (A128KW): a master-secret
    /// recipient (KEK = DeriveKey on a Trust M's PRESSEC object; KekDerivation) and/or an ES-DH recipient
    /// (KEK from ECDH with the class key, which a Trust X holds; EsDhKek), then sets up AES-128-CTR. The
    /// device derives the KEK for the recipient its chip can serve and OpenDecryptor unwraps with it;
    /// A128KW's integrity check refuses a wrong KEK or a modified encryption info, so there is never a
    /// decryptor with a wrong key.
    /// </summary>
    public static class SuitPayloadCipher
    {
        /// <summary>The master-secret recipient: KEK from the secret, the salt (32 random bytes) and the class id; the KEK is cleared here.</summary>
        public static CoseRecipient KeyWrapRecipient(IAesFactory aes, ISha256 sha, byte[] masterSecret, byte[] classId, byte[] salt, byte[] cek)
        {
            return KeyWrapRecipientWithKek(aes, KekDerivation.DeriveKek(sha, masterSecret, salt, classId), salt, cek);
        }

        /// <summary>The master-secret recipient with a KEK derived elsewhere (an HSM holding the secret); the KEK is cleared here.</summary>
        public static CoseRecipient KeyWrapRecipientWithKek(IAesFactory aes, byte[] kek, byte[] salt, byte[] cek)
        {
            CoseRecipient r = new CoseRecipient();
            r.Algorithm = CoseLabels.AlgA128Kw;
            r.KeyId = KekDerivation.KeyId();
            r.Salt = salt;
            r.WrappedKey = AesKeyWrap.Wrap(aes.Create(kek), cek);
            System.Array.Clear(kek, 0, kek.Length);
            return r;
        }

        /// <summary>The ES-DH recipient: sharedSecret = ECDH(ephemeral private key, class public key), x-coordinate; cleared by the caller.</summary>
        public static CoseRecipient EcdhRecipient(IAesFactory aes, ISha256 sha, byte[] sharedSecret, byte[] ephemeralX, byte[] ephemeralY, byte[] cek)
        {
            byte[] kek = EsDhKek.DeriveKek(sha, sharedSecret);
            CoseRecipient r = new CoseRecipient();
            r.Algorithm = CoseLabels.AlgEcdhEsA128Kw;
            r.EphemeralX = ephemeralX;
            r.EphemeralY = ephemeralY;
            r.WrappedKey = AesKeyWrap.Wrap(aes.Create(kek), cek);
            System.Array.Clear(kek, 0, kek.Length);
            return r;
        }

        /// <summary>The encryption info for these recipients, and (out) the AES-CTR that encrypts the payload; the caller clears the content key.</summary>
        public static CoseEncryptInfo Seal(IAesFactory aes, CoseRecipient[] recipients, byte[] cek, byte[] iv, out AesCtr encryptor)
        {
            CoseEncryptInfo info = new CoseEncryptInfo();
            info.Iv = iv;
            info.Recipients = recipients;
            encryptor = new AesCtr(aes.Create(cek), iv);
            return info;
        }

        /// <summary>The master-secret recipient alone (a Trust M fleet).</summary>
        public static CoseEncryptInfo Seal(IAesFactory aes, ISha256 sha, byte[] masterSecret, byte[] classId, byte[] salt, byte[] cek, byte[] iv, out AesCtr encryptor)
        {
            return Seal(aes, new CoseRecipient[] { KeyWrapRecipient(aes, sha, masterSecret, classId, salt, cek) }, cek, iv, out encryptor);
        }

        /// <summary>
        /// Reads a manifest's encryption info and checks each recipient of this profile: a master-secret
        /// recipient names the update master secret and carries the 32-byte salt; an ES-DH recipient has
        /// its ephemeral key (the parser checked it). At least one recipient must be of this profile. The
        /// one check before a KEK is derived, wherever it is derived (the device's chip, update-tool verify).
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

            bool usable = false;
            for (int i = 0; i < info.Recipients.Length; i++)
            {
                CoseRecipient r = info.Recipients[i];
                if (r.IsKeyWrap)
                {
                    if (!SuitDigest.AreEqual(r.KeyId, KekDerivation.KeyId()))
                    {
                        return new SuitResult(SuitError.DecryptionFailed, -1, "A128KW recipient's key id is not '" + KekDerivation.KeyIdText + "'");
                    }

                    if (r.Salt == null || r.Salt.Length != KekDerivation.SaltLength)
                    {
                        return new SuitResult(SuitError.DecryptionFailed, -1, "A128KW recipient lacks the 32-byte KEK derivation salt");
                    }

                    usable = true;
                }
                else if (r.IsEcdh)
                {
                    usable = true;
                }
            }

            return usable ? SuitResult.Ok : new SuitResult(SuitError.DecryptionFailed, -1, "no recipient of this profile (A128KW with the master secret, or ECDH-ES + A128KW)");
        }

        /// <summary>Unwraps the content key of this recipient with the KEK; null when it does not unwrap.</summary>
        public static AesCtr OpenDecryptor(IAesFactory aes, byte[] kek, CoseRecipient recipient, byte[] iv)
        {
            if (kek == null || kek.Length != 16 || recipient == null || recipient.WrappedKey == null || recipient.WrappedKey.Length != CoseEncryptInfo.WrappedKeyLength)
            {
                return null;
            }

            byte[] cek = AesKeyWrap.Unwrap(aes.Create(kek), recipient.WrappedKey);
            if (cek == null || cek.Length != 16)
            {
                return null;
            }

            AesCtr ctr = new AesCtr(aes.Create(cek), iv);
            System.Array.Clear(cek, 0, cek.Length);
            return ctr;
        }

        /// <summary>The first A128KW recipient that unwraps with the KEK; null when none does.</summary>
        public static AesCtr OpenDecryptor(IAesFactory aes, byte[] kek, CoseEncryptInfo info)
        {
            for (int i = 0; info != null && i < info.Recipients.Length; i++)
            {
                if (info.Recipients[i].IsKeyWrap)
                {
                    AesCtr ctr = OpenDecryptor(aes, kek, info.Recipients[i], info.Iv);
                    if (ctr != null)
                    {
                        return ctr;
                    }
                }
            }

            return null;
        }
    }
}

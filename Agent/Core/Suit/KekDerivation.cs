using System;
using SecureOta.Core.Cbor;
using SecureOta.Core.Crypto;

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// How the key-encryption key of one data set is derived from the update master secret
    /// (docs/data-set-format.md, "Key derivation"):
    ///   derivation data = Label (23 ASCII bytes) || salt (32 bytes, random per data set) || class-id (16 bytes)
    ///   KEK = TLS1.2-PRF-SHA256(master secret, derivation data) truncated to 16 bytes
    /// which is exactly what the security chip's DeriveKey (KDF 0x01, derivation data as label || seed)
    /// computes from its PRESSEC object: the master secret never leaves the chip, and every data set
    /// gets its own KEK.
    /// </summary>
    public static class KekDerivation
    {
        /// <summary>TLS PRF label: "SecureOTA update KEK v1".</summary>
        public const string Label = "SecureOTA update KEK v1";

        /// <summary>kid of the recipient: names the master secret (and this derivation).</summary>
        public const string KeyIdText = "SecureOTA-UMK-1";

        public const int SaltLength = 32;
        public const int KekLength = 16;

        public static byte[] KeyId()
        {
            return Utf8.Encode(KeyIdText);
        }

        /// <summary>Label || salt || class-id: the DeriveKey derivation data (8..1024 bytes on the chip).</summary>
        public static byte[] DerivationData(byte[] salt, byte[] classId)
        {
            if (salt == null || salt.Length != SaltLength)
            {
                throw new ArgumentException("salt must be 32 bytes");
            }

            if (classId == null || classId.Length != 16)
            {
                throw new ArgumentException("class-id must be 16 bytes");
            }

            byte[] label = Utf8.Encode(Label);
            byte[] data = new byte[label.Length + SaltLength + 16];
            Array.Copy(label, data, label.Length);
            Array.Copy(salt, 0, data, label.Length, SaltLength);
            Array.Copy(classId, 0, data, label.Length + SaltLength, 16);
            return data;
        }

        /// <summary>The vendor side of the derivation (the device asks its chip instead).</summary>
        public static byte[] DeriveKek(ISha256 sha, byte[] masterSecret, byte[] salt, byte[] classId)
        {
            if (masterSecret == null || masterSecret.Length < 16 || masterSecret.Length > 64)
            {
                throw new ArgumentException("the update master secret must be 16..64 bytes (the chip uses at most 64)");
            }

            return Tls12Prf.Derive(sha, masterSecret, DerivationData(salt, classId), KekLength);
        }
    }
}

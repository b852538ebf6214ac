using System;

namespace SecureOta.Core.Crypto
{
    /// <summary>
    /// AES-CCM (NIST SP 800-38C) with an 8-byte nonce and an 8-byte tag, as the security chip's shielded
    /// connection uses it (AES-128-CCM-8; optiga-trust.md 1.5): counter field L = 7 bytes, tag M = 8.
    /// Built on an IAesBlock, so the device can use the managed or the native AES.
    /// </summary>
    public sealed class AesCcm
    {
        public const int NonceLength = 8;
        public const int TagLength = 8;
        private const int CounterLength = 15 - NonceLength; /* L = 7 */

        private readonly IAesBlock _aes;
        private readonly byte[] _block = new byte[16];
        private readonly byte[] _mac = new byte[16];
        private readonly byte[] _stream = new byte[16];

        public AesCcm(IAesBlock aes)
        {
            _aes = aes;
        }

        /// <summary>Encrypts plaintext into output (same length) followed by the 8-byte tag.</summary>
        public byte[] Seal(byte[] nonce, byte[] aad, byte[] plaintext)
        {
            CheckNonce(nonce);
            byte[] output = new byte[plaintext.Length + TagLength];
            CbcMac(nonce, aad, plaintext, plaintext.Length);
            Ctr(nonce, plaintext, 0, plaintext.Length, output);
            Counter(nonce, 0);
            _aes.EncryptBlock(_block, 0, _stream, 0);
            for (int i = 0; i < TagLength; i++)
            {
                output[plaintext.Length + i] = (byte)(_mac[i] ^ _stream[i]);
            }

            return output;
        }

        /// <summary>Decrypts and authenticates ciphertext||tag; returns null if the tag does not match.</summary>
        public byte[] Open(byte[] nonce, byte[] aad, byte[] sealedData)
        {
            CheckNonce(nonce);
            if (sealedData == null || sealedData.Length < TagLength)
            {
                return null;
            }

            int n = sealedData.Length - TagLength;
            byte[] plaintext = new byte[n];
            Ctr(nonce, sealedData, 0, n, plaintext);
            CbcMac(nonce, aad, plaintext, n);
            Counter(nonce, 0);
            _aes.EncryptBlock(_block, 0, _stream, 0);
            int diff = 0;
            for (int i = 0; i < TagLength; i++)
            {
                diff |= sealedData[n + i] ^ _mac[i] ^ _stream[i];
            }

            if (diff != 0)
            {
                Array.Clear(plaintext, 0, n);
                return null;
            }

            return plaintext;
        }

        // SP 800-38C A.2: B0 = flags | nonce | Q; AAD with a 2-byte length prefix; zero padding.
        private void CbcMac(byte[] nonce, byte[] aad, byte[] message, int length)
        {
            int aadLength = aad == null ? 0 : aad.Length;
            Array.Clear(_mac, 0, 16);
            _mac[0] = (byte)((aadLength > 0 ? 0x40 : 0) | (((TagLength - 2) / 2) << 3) | (CounterLength - 1));
            Array.Copy(nonce, 0, _mac, 1, NonceLength);
            long q = length;
            for (int i = 15; i > NonceLength; i--)
            {
                _mac[i] = (byte)q;
                q >>= 8;
            }

            _aes.EncryptBlock(_mac, 0, _mac, 0);
            if (aadLength > 0)
            {
                if (aadLength >= 0xFF00)
                {
                    throw new ArgumentException("associated data too long");
                }

                // The first block holds the 2-byte length and up to 14 bytes of AAD.
                int pos = 0;
                int first = aadLength < 14 ? aadLength : 14;
                _mac[0] ^= (byte)(aadLength >> 8);
                _mac[1] ^= (byte)aadLength;
                for (int i = 0; i < first; i++)
                {
                    _mac[2 + i] ^= aad[i];
                }

                _aes.EncryptBlock(_mac, 0, _mac, 0);
                pos = first;
                while (pos < aadLength)
                {
                    int n = aadLength - pos < 16 ? aadLength - pos : 16;
                    for (int i = 0; i < n; i++)
                    {
                        _mac[i] ^= aad[pos + i];
                    }

                    _aes.EncryptBlock(_mac, 0, _mac, 0);
                    pos += n;
                }
            }

            for (int pos = 0; pos < length; pos += 16)
            {
                int n = length - pos < 16 ? length - pos : 16;
                for (int i = 0; i < n; i++)
                {
                    _mac[i] ^= message[pos + i];
                }

                _aes.EncryptBlock(_mac, 0, _mac, 0);
            }
        }

        private void Ctr(byte[] nonce, byte[] input, int offset, int length, byte[] output)
        {
            for (int pos = 0, counter = 1; pos < length; pos += 16, counter++)
            {
                Counter(nonce, counter);
                _aes.EncryptBlock(_block, 0, _stream, 0);
                int n = length - pos < 16 ? length - pos : 16;
                for (int i = 0; i < n; i++)
                {
                    output[pos + i] = (byte)(input[offset + pos + i] ^ _stream[i]);
                }
            }
        }

        // A_i = flags (L - 1) | nonce | i as a 7-byte big-endian counter.
        private void Counter(byte[] nonce, int i)
        {
            _block[0] = CounterLength - 1;
            Array.Copy(nonce, 0, _block, 1, NonceLength);
            for (int k = 15; k > NonceLength; k--)
            {
                _block[k] = (byte)i;
                i >>= 8;
            }
        }

        private static void CheckNonce(byte[] nonce)
        {
            if (nonce == null || nonce.Length != NonceLength)
            {
                throw new ArgumentException("AES-CCM-8 here takes an 8-byte nonce");
            }
        }
    }
}

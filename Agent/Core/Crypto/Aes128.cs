using System;

namespace SecureOta.Core.Crypto
{
    /// <summary>
    /// AES-128 block cipher (FIPS 197) in managed code, for boards whose firmware lacks the native
    /// Aes API and as the portable reference. Byte-oriented (no lookup tables beyond the S-boxes) to
    /// keep RAM small; the S-boxes are computed once from their definition (FIPS 197, 5.1.1) rather
    /// than typed in.
    /// </summary>
    public sealed class Aes128 : IAesBlock
    {
        /// <summary>Block length in bytes (FIPS 197, 3.1).</summary>
        public const int BlockLength = 16;

        /// <summary>Key length in bytes for AES-128 (FIPS 197, 5).</summary>
        public const int KeyLength = 16;

        private const int Rounds = 10;

        private static readonly byte[] SBox = new byte[256];
        private static readonly byte[] InvSBox = new byte[256];

        private readonly byte[] _roundKeys = new byte[BlockLength * (Rounds + 1)];
        private readonly byte[] _state = new byte[BlockLength];

        static Aes128()
        {
            // S(x) = affine(x^-1) in GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1.
            for (int x = 0; x < 256; x++)
            {
                int inv = x == 0 ? 0 : Inverse(x);
                int s = inv ^ Rotl8(inv, 1) ^ Rotl8(inv, 2) ^ Rotl8(inv, 3) ^ Rotl8(inv, 4) ^ 0x63;
                SBox[x] = (byte)s;
                InvSBox[s] = (byte)x;
            }
        }

        public Aes128(byte[] key)
        {
            if (key == null || key.Length != KeyLength)
            {
                throw new ArgumentException("AES-128 needs a 16-byte key");
            }

            ExpandKey(key);
        }

        public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            CheckBlock(input, inputOffset, output, outputOffset);
            byte[] s = _state;
            Array.Copy(input, inputOffset, s, 0, BlockLength);
            AddRoundKey(s, 0);
            for (int round = 1; round < Rounds; round++)
            {
                SubBytes(s, SBox);
                ShiftRows(s);
                MixColumns(s);
                AddRoundKey(s, round);
            }

            SubBytes(s, SBox);
            ShiftRows(s);
            AddRoundKey(s, Rounds);
            Array.Copy(s, 0, output, outputOffset, BlockLength);
        }

        public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            CheckBlock(input, inputOffset, output, outputOffset);
            byte[] s = _state;
            Array.Copy(input, inputOffset, s, 0, BlockLength);
            AddRoundKey(s, Rounds);
            for (int round = Rounds - 1; round > 0; round--)
            {
                InvShiftRows(s);
                SubBytes(s, InvSBox);
                AddRoundKey(s, round);
                InvMixColumns(s);
            }

            InvShiftRows(s);
            SubBytes(s, InvSBox);
            AddRoundKey(s, 0);
            Array.Copy(s, 0, output, outputOffset, BlockLength);
        }

        // FIPS 197, 5.2: KeyExpansion for Nk = 4.
        private void ExpandKey(byte[] key)
        {
            Array.Copy(key, _roundKeys, KeyLength);
            int rcon = 1;
            for (int i = KeyLength; i < _roundKeys.Length; i += 4)
            {
                byte t0 = _roundKeys[i - 4], t1 = _roundKeys[i - 3], t2 = _roundKeys[i - 2], t3 = _roundKeys[i - 1];
                if (i % KeyLength == 0)
                {
                    byte r = t0;
                    t0 = (byte)(SBox[t1] ^ rcon);
                    t1 = SBox[t2];
                    t2 = SBox[t3];
                    t3 = SBox[r];
                    rcon = XTime(rcon);
                }

                _roundKeys[i] = (byte)(_roundKeys[i - KeyLength] ^ t0);
                _roundKeys[i + 1] = (byte)(_roundKeys[i - KeyLength + 1] ^ t1);
                _roundKeys[i + 2] = (byte)(_roundKeys[i - KeyLength + 2] ^ t2);
                _roundKeys[i + 3] = (byte)(_roundKeys[i - KeyLength + 3] ^ t3);
            }
        }

        private void AddRoundKey(byte[] s, int round)
        {
            int k = round * BlockLength;
            for (int i = 0; i < BlockLength; i++)
            {
                s[i] ^= _roundKeys[k + i];
            }
        }

        private static void SubBytes(byte[] s, byte[] box)
        {
            for (int i = 0; i < BlockLength; i++)
            {
                s[i] = box[s[i]];
            }
        }

        // The state is column-major: s[row + 4 * column] (FIPS 197, 3.4).
        private static void ShiftRows(byte[] s)
        {
            byte t = s[1];
            s[1] = s[5]; s[5] = s[9]; s[9] = s[13]; s[13] = t;
            t = s[2]; s[2] = s[10]; s[10] = t;
            t = s[6]; s[6] = s[14]; s[14] = t;
            t = s[15]; s[15] = s[11]; s[11] = s[7]; s[7] = s[3]; s[3] = t;
        }

        private static void InvShiftRows(byte[] s)
        {
            byte t = s[13];
            s[13] = s[9]; s[9] = s[5]; s[5] = s[1]; s[1] = t;
            t = s[2]; s[2] = s[10]; s[10] = t;
            t = s[6]; s[6] = s[14]; s[14] = t;
            t = s[3]; s[3] = s[7]; s[7] = s[11]; s[11] = s[15]; s[15] = t;
        }

        private static void MixColumns(byte[] s)
        {
            for (int c = 0; c < 16; c += 4)
            {
                int a0 = s[c], a1 = s[c + 1], a2 = s[c + 2], a3 = s[c + 3];
                int all = a0 ^ a1 ^ a2 ^ a3;
                s[c] = (byte)(a0 ^ all ^ XTime(a0 ^ a1));
                s[c + 1] = (byte)(a1 ^ all ^ XTime(a1 ^ a2));
                s[c + 2] = (byte)(a2 ^ all ^ XTime(a2 ^ a3));
                s[c + 3] = (byte)(a3 ^ all ^ XTime(a3 ^ a0));
            }
        }

        private static void InvMixColumns(byte[] s)
        {
            for (int c = 0; c < 16; c += 4)
            {
                int a0 = s[c], a1 = s[c + 1], a2 = s[c + 2], a3 = s[c + 3];
                s[c] = (byte)(Mul(a0, 14) ^ Mul(a1, 11) ^ Mul(a2, 13) ^ Mul(a3, 9));
                s[c + 1] = (byte)(Mul(a0, 9) ^ Mul(a1, 14) ^ Mul(a2, 11) ^ Mul(a3, 13));
                s[c + 2] = (byte)(Mul(a0, 13) ^ Mul(a1, 9) ^ Mul(a2, 14) ^ Mul(a3, 11));
                s[c + 3] = (byte)(Mul(a0, 11) ^ Mul(a1, 13) ^ Mul(a2, 9) ^ Mul(a3, 14));
            }
        }

        private static int XTime(int a)
        {
            a <<= 1;
            return (a & 0x100) != 0 ? (a ^ 0x11B) : a;
        }

        private static int Mul(int a, int b)
        {
            int product = 0;
            while (b != 0)
            {
                if ((b & 1) != 0)
                {
                    product ^= a;
                }

                a = XTime(a);
                b >>= 1;
            }

            return product;
        }

        // x^254 = x^-1 in GF(2^8).
        private static int Inverse(int x)
        {
            int result = 1;
            int power = x;
            int e = 254;
            while (e != 0)
            {
                if ((e & 1) != 0)
                {
                    result = Mul(result, power);
                }

                power = Mul(power, power);
                e >>= 1;
            }

            return result;
        }

        private static int Rotl8(int x, int n)
        {
            return ((x << n) | (x >> (8 - n))) & 0xFF;
        }

        private static void CheckBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            if (input == null || output == null || inputOffset < 0 || outputOffset < 0
                || inputOffset > input.Length - BlockLength || outputOffset > output.Length - BlockLength)
            {
                throw new ArgumentOutOfRangeException("inputOffset", "a whole 16-byte block is needed");
            }
        }
    }

    /// <summary>Makes managed Aes128 instances.</summary>
    public sealed class ManagedAesFactory : IAesFactory
    {
        public IAesBlock Create(byte[] key)
        {
            return new Aes128(key);
        }
    }
}

using System;

namespace SecureOta.Core.Crypto
{
    /// <summary>
    /// Incremental SHA-256 (FIPS 180-4) in managed code. nanoFramework 1.x has no SHA-256 class and no
    /// incremental hashing (only HMACSHA256 over a whole buffer), yet the agent must hash an image it
    /// streams through a few KiB of RAM, so the digest is computed here, block by block.
    /// Arithmetic relies on uint wrap-around, which nanoFramework implements like .NET.
    /// </summary>
    public sealed class Sha256 : ISha256
    {
        /// <summary>Digest length in bytes (FIPS 180-4, section 6.2).</summary>
        public const int DigestLength = 32;

        /// <summary>Message block length in bytes (FIPS 180-4, section 5.2.1).</summary>
        public const int BlockLength = 64;

        // FIPS 180-4, section 4.2.2: the first 32 bits of the fractional parts of the cube roots of
        // the first 64 primes.
        private static readonly uint[] K = new uint[]
        {
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
            0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
            0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
            0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
            0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
            0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
            0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
        };

        private readonly uint[] _state = new uint[8];
        private readonly uint[] _w = new uint[64];
        private readonly byte[] _block = new byte[BlockLength];
        private int _blockLength;
        private long _totalBytes;

        public Sha256()
        {
            Reset();
        }

        /// <summary>Total number of bytes hashed since the last reset.</summary>
        public long TotalBytes
        {
            get { return _totalBytes; }
        }

        /// <summary>Starts a new digest (FIPS 180-4, section 5.3.3 initial hash value).</summary>
        public void Reset()
        {
            _state[0] = 0x6a09e667;
            _state[1] = 0xbb67ae85;
            _state[2] = 0x3c6ef372;
            _state[3] = 0xa54ff53a;
            _state[4] = 0x510e527f;
            _state[5] = 0x9b05688c;
            _state[6] = 0x1f83d9ab;
            _state[7] = 0x5be0cd19;
            _blockLength = 0;
            _totalBytes = 0;
        }

        /// <summary>Length of an exported intermediate state: H0..H7 (32), byte count (8), partial block (64).</summary>
        public const int StateLength = 32 + 8 + BlockLength;

        /// <summary>
        /// Writes the intermediate state (FIPS 180-4 section 6.2: H0..H7 after the whole blocks, the byte
        /// count, the partial block) big-endian, so a digest can continue in another instance: the chip
        /// emulator exports and imports a CalcHash context this way.
        /// </summary>
        public void ExportState(byte[] output, int offset)
        {
            if (output == null || offset < 0 || offset > output.Length - StateLength)
            {
                throw new ArgumentOutOfRangeException("offset", "no room for the state");
            }

            for (int i = 0; i < 8; i++)
            {
                uint v = _state[i];
                int o = offset + (i * 4);
                output[o] = (byte)(v >> 24);
                output[o + 1] = (byte)(v >> 16);
                output[o + 2] = (byte)(v >> 8);
                output[o + 3] = (byte)v;
            }

            for (int i = 0; i < 8; i++)
            {
                output[offset + 32 + i] = (byte)(_totalBytes >> (56 - (8 * i)));
            }

            Array.Clear(output, offset + 40, BlockLength);
            Array.Copy(_block, 0, output, offset + 40, _blockLength);
        }

        /// <summary>Continues from an exported state; false (and this instance reset) when the byte count is impossible.</summary>
        public bool ImportState(byte[] input, int offset)
        {
            if (input == null || offset < 0 || offset > input.Length - StateLength)
            {
                throw new ArgumentOutOfRangeException("offset", "the state is shorter than its length");
            }

            long total = 0;
            for (int i = 0; i < 8; i++)
            {
                total = (total << 8) | input[offset + 32 + i];
            }

            // At most 2^61 - 1 bytes fit the 64-bit bit length (FIPS 180-4 section 5.1.1).
            if (total < 0 || total > 0x1FFFFFFFFFFFFFFFL)
            {
                Reset();
                return false;
            }

            for (int i = 0; i < 8; i++)
            {
                int o = offset + (i * 4);
                _state[i] = ((uint)input[o] << 24) | ((uint)input[o + 1] << 16) | ((uint)input[o + 2] << 8) | input[o + 3];
            }

            _totalBytes = total;
            _blockLength = (int)(total % BlockLength);
            Array.Copy(input, offset + 40, _block, 0, _blockLength);
            return true;
        }

        /// <summary>Hashes count bytes of data starting at offset.</summary>
        /// <exception cref="ArgumentNullException">data is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">offset/count do not lie inside data.</exception>
        public void Update(byte[] data, int offset, int count)
        {
            if (data == null)
            {
                throw new ArgumentNullException("data");
            }

            // Bounds are checked by hand: checked arithmetic does not throw on nanoFramework.
            if (offset < 0 || count < 0 || offset > data.Length || count > data.Length - offset)
            {
                throw new ArgumentOutOfRangeException("count", "offset/count outside the buffer");
            }

            _totalBytes += count;
            int end = offset + count;
            while (offset < end)
            {
                if (_blockLength == 0 && end - offset >= BlockLength)
                {
                    Compress(data, offset);
                    offset += BlockLength;
                    continue;
                }

                int take = BlockLength - _blockLength;
                if (take > end - offset)
                {
                    take = end - offset;
                }

                Array.Copy(data, offset, _block, _blockLength, take);
                _blockLength += take;
                offset += take;
                if (_blockLength == BlockLength)
                {
                    Compress(_block, 0);
                    _blockLength = 0;
                }
            }
        }

        /// <summary>Finishes the digest into a new 32-byte array and resets for the next message.</summary>
        public byte[] Finish()
        {
            byte[] digest = new byte[DigestLength];
            Finish(digest, 0);
            return digest;
        }

        /// <summary>Finishes the digest into output at outputOffset and resets for the next message.</summary>
        public void Finish(byte[] output, int outputOffset)
        {
            if (output == null)
            {
                throw new ArgumentNullException("output");
            }

            if (outputOffset < 0 || outputOffset > output.Length - DigestLength)
            {
                throw new ArgumentOutOfRangeException("outputOffset", "no room for 32 bytes");
            }

            // FIPS 180-4, section 5.1.1: append 0x80, pad with zeros to 56 mod 64, append the bit length.
            long bitLength = _totalBytes * 8;
            _block[_blockLength++] = 0x80;
            if (_blockLength > BlockLength - 8)
            {
                Array.Clear(_block, _blockLength, BlockLength - _blockLength);
                Compress(_block, 0);
                _blockLength = 0;
            }

            Array.Clear(_block, _blockLength, BlockLength - 8 - _blockLength);
            for (int i = 0; i < 8; i++)
            {
                _block[BlockLength - 1 - i] = (byte)(bitLength >> (8 * i));
            }

            Compress(_block, 0);
            for (int i = 0; i < 8; i++)
            {
                uint v = _state[i];
                output[outputOffset + (4 * i)] = (byte)(v >> 24);
                output[outputOffset + (4 * i) + 1] = (byte)(v >> 16);
                output[outputOffset + (4 * i) + 2] = (byte)(v >> 8);
                output[outputOffset + (4 * i) + 3] = (byte)v;
            }

            Reset();
        }

        /// <summary>One-shot digest of a whole buffer.</summary>
        public static byte[] Hash(byte[] data)
        {
            Sha256 sha = new Sha256();
            sha.Update(data, 0, data == null ? 0 : data.Length);
            return sha.Finish();
        }

        // FIPS 180-4, section 6.2.2: the compression function over one 64-byte block.
        private void Compress(byte[] block, int offset)
        {
            uint[] w = _w;
            for (int t = 0; t < 16; t++)
            {
                int i = offset + (4 * t);
                w[t] = ((uint)block[i] << 24) | ((uint)block[i + 1] << 16) | ((uint)block[i + 2] << 8) | block[i + 3];
            }

            for (int t = 16; t < 64; t++)
            {
                uint x = w[t - 15];
                uint y = w[t - 2];
                uint s0 = Rotr(x, 7) ^ Rotr(x, 18) ^ (x >> 3);
                uint s1 = Rotr(y, 17) ^ Rotr(y, 19) ^ (y >> 10);
                w[t] = unchecked(w[t - 16] + s0 + w[t - 7] + s1);
            }

            uint a = _state[0], b = _state[1], c = _state[2], d = _state[3];
            uint e = _state[4], f = _state[5], g = _state[6], h = _state[7];
            for (int t = 0; t < 64; t++)
            {
                uint bigS1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
                uint ch = (e & f) ^ (~e & g);
                uint t1 = unchecked(h + bigS1 + ch + K[t] + w[t]);
                uint bigS0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22);
                uint maj = (a & b) ^ (a & c) ^ (b & c);
                uint t2 = unchecked(bigS0 + maj);
                h = g;
                g = f;
                f = e;
                e = unchecked(d + t1);
                d = c;
                c = b;
                b = a;
                a = unchecked(t1 + t2);
            }

            _state[0] = unchecked(_state[0] + a);
            _state[1] = unchecked(_state[1] + b);
            _state[2] = unchecked(_state[2] + c);
            _state[3] = unchecked(_state[3] + d);
            _state[4] = unchecked(_state[4] + e);
            _state[5] = unchecked(_state[5] + f);
            _state[6] = unchecked(_state[6] + g);
            _state[7] = unchecked(_state[7] + h);
        }

        private static uint Rotr(uint x, int n)
        {
            return (x >> n) | (x << (32 - n));
        }
    }
}

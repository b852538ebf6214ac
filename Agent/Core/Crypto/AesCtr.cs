using System;

namespace SecureOta.Core.Crypto
{
    /// <summary>
    /// AES-CTR keystream (NIST SP 800-38A, 6.5; COSE alg A128CTR = -65534 in
    /// draft-ietf-suit-firmware-encryption): the counter block starts at the 16-byte IV and is
    /// incremented as a 128-bit big-endian integer per block. Streams through any chunk sizes and can
    /// seek to a byte offset, so a resumed download decrypts from where it stopped.
    /// CTR has no integrity of its own: the image digest in the signed manifest provides it.
    /// When the block cipher also implements IAesCtrTransform (native code on the board), each Transform
    /// is one call over the whole chunk instead of one block call per 16 bytes (issue 14); the managed
    /// keystream below is the fallback.
    /// </summary>
    public sealed class AesCtr
    {
        private readonly IAesBlock _cipher;
        private readonly IAesCtrTransform _bulk;
        private long _position;
        private bool _stale;
        private readonly byte[] _iv = new byte[16];
        private readonly byte[] _counter = new byte[16];
        private readonly byte[] _keystream = new byte[16];
        private int _used = 16;

        public AesCtr(IAesBlock cipher, byte[] iv)
        {
            if (cipher == null)
            {
                throw new ArgumentNullException("cipher");
            }

            if (iv == null || iv.Length != 16)
            {
                throw new ArgumentException("AES-CTR needs a 16-byte IV");
            }

            _cipher = cipher;
            _bulk = cipher as IAesCtrTransform;
            Array.Copy(iv, _iv, 16);
            Seek(0);
        }

        /// <summary>Positions the keystream at a byte offset of the message.</summary>
        public void Seek(long byteOffset)
        {
            if (byteOffset < 0)
            {
                throw new ArgumentOutOfRangeException("byteOffset");
            }

            _position = byteOffset;
            if (_bulk != null)
            {
                _stale = true; /* the managed keystream is set up only if a fallback needs it */
            }
            else
            {
                SeekManaged(byteOffset);
            }
        }

        private void SeekManaged(long byteOffset)
        {
            _stale = false;
            Array.Copy(_iv, _counter, 16);
            AddToCounter(byteOffset / 16);
            int within = (int)(byteOffset % 16);
            if (within == 0)
            {
                _used = 16;
            }
            else
            {
                NextKeystreamBlock();
                _used = within;
            }
        }

        /// <summary>XORs count bytes at offset with the keystream, in place (encrypts or decrypts).</summary>
        public void Transform(byte[] data, int offset, int count)
        {
            if (data == null || offset < 0 || count < 0 || offset > data.Length || count > data.Length - offset)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            if (_bulk != null && _bulk.TransformCtr(_iv, _position, data, offset, count))
            {
                _position += count;
                _stale = true;
                return;
            }

            if (_stale)
            {
                SeekManaged(_position);
            }

            _position += count;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                if (_used == 16)
                {
                    NextKeystreamBlock();
                    _used = 0;
                }

                data[i] ^= _keystream[_used++];
            }
        }

        private void NextKeystreamBlock()
        {
            _cipher.EncryptBlock(_counter, 0, _keystream, 0);
            AddToCounter(1);
        }

        private void AddToCounter(long blocks)
        {
            AddToCounter(_counter, 0, blocks);
        }

        /// <summary>
        /// counter[offset..offset+16) += blocks as a 128-bit big-endian integer with carry, wrapping modulo
        /// 2^128 (SP 800-38A 6.5's standard incrementing function, applied blocks times).
        /// </summary>
        public static void AddToCounter(byte[] counter, int offset, long blocks)
        {
            ulong add = (ulong)blocks;
            for (int i = 15; i >= 0 && add != 0; i--)
            {
                ulong sum = counter[offset + i] + (add & 0xFF);
                counter[offset + i] = (byte)sum;
                add = (add >> 8) + (sum >> 8);
            }
        }
    }
}

using System;

namespace SecureOta.Core.Cbor
{
    /// <summary>
    /// Writes deterministically encoded CBOR (RFC 8949, 4.2.1: shortest argument form, definite
    /// lengths). Map key order is the caller's duty; the SUIT builder writes keys in ascending order.
    /// </summary>
    public sealed class CborWriter
    {
        private byte[] _buffer;
        private int _length;

        public CborWriter()
            : this(256)
        {
        }

        public CborWriter(int initialCapacity)
        {
            _buffer = new byte[initialCapacity < 16 ? 16 : initialCapacity];
        }

        public int Length
        {
            get { return _length; }
        }

        public byte[] ToArray()
        {
            byte[] result = new byte[_length];
            Array.Copy(_buffer, result, _length);
            return result;
        }

        public void WriteUInt64(ulong value)
        {
            WriteHeader(CborType.UnsignedInteger, value);
        }

        public void WriteInt64(long value)
        {
            if (value >= 0)
            {
                WriteHeader(CborType.UnsignedInteger, (ulong)value);
            }
            else
            {
                WriteHeader(CborType.NegativeInteger, (ulong)(-1L - value));
            }
        }

        public void WriteByteString(byte[] data)
        {
            WriteByteString(data, 0, data.Length);
        }

        public void WriteByteString(byte[] data, int offset, int count)
        {
            if (data == null || offset < 0 || count < 0 || offset > data.Length || count > data.Length - offset)
            {
                throw new ArgumentOutOfRangeException("count");
            }

            WriteHeader(CborType.ByteString, (ulong)count);
            WriteRaw(data, offset, count);
        }

        /// <summary>Writes only a byte string's header (the contents follow outside this writer).</summary>
        public void WriteByteStringHeader(long length)
        {
            if (length < 0)
            {
                throw new ArgumentOutOfRangeException("length");
            }

            WriteHeader(CborType.ByteString, (ulong)length);
        }

        public void WriteTextString(string text)
        {
            byte[] utf8 = Utf8.Encode(text);
            WriteHeader(CborType.TextString, (ulong)utf8.Length);
            WriteRaw(utf8, 0, utf8.Length);
        }

        public void WriteArrayHeader(int count)
        {
            WriteHeader(CborType.Array, (ulong)count);
        }

        public void WriteMapHeader(int pairs)
        {
            WriteHeader(CborType.Map, (ulong)pairs);
        }

        public void WriteTag(ulong tag)
        {
            WriteHeader(CborType.Tag, tag);
        }

        public void WriteBoolean(bool value)
        {
            WriteByte(value ? (byte)0xF5 : (byte)0xF4);
        }

        public void WriteNull()
        {
            WriteByte(0xF6);
        }

        /// <summary>Appends already-encoded CBOR.</summary>
        public void WriteEncoded(byte[] encoded)
        {
            WriteRaw(encoded, 0, encoded.Length);
        }

        private void WriteHeader(int major, ulong value)
        {
            int m = major << 5;
            if (value < 24)
            {
                WriteByte((byte)(m | (int)value));
            }
            else if (value <= 0xFF)
            {
                WriteByte((byte)(m | CborType.OneByteArgument));
                WriteByte((byte)value);
            }
            else if (value <= 0xFFFF)
            {
                WriteByte((byte)(m | CborType.TwoByteArgument));
                WriteBigEndian(value, 2);
            }
            else if (value <= 0xFFFFFFFFUL)
            {
                WriteByte((byte)(m | CborType.FourByteArgument));
                WriteBigEndian(value, 4);
            }
            else
            {
                WriteByte((byte)(m | CborType.EightByteArgument));
                WriteBigEndian(value, 8);
            }
        }

        private void WriteBigEndian(ulong value, int size)
        {
            for (int i = size - 1; i >= 0; i--)
            {
                WriteByte((byte)(value >> (8 * i)));
            }
        }

        private void WriteByte(byte b)
        {
            Ensure(1);
            _buffer[_length++] = b;
        }

        private void WriteRaw(byte[] data, int offset, int count)
        {
            Ensure(count);
            Array.Copy(data, offset, _buffer, _length, count);
            _length += count;
        }

        private void Ensure(int extra)
        {
            if (extra <= _buffer.Length - _length)
            {
                return;
            }

            int size = _buffer.Length;
            while (extra > size - _length)
            {
                size *= 2;
            }

            byte[] grown = new byte[size];
            Array.Copy(_buffer, grown, _length);
            _buffer = grown;
        }
    }
}

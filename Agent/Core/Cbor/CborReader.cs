namespace SecureOta.Core.Cbor
{
    /// <summary>
    /// Reads definite-length CBOR (RFC 8949) from a window of a byte array. Every length is checked
    /// against the bytes actually in the window before it is used; indefinite lengths are rejected
    /// (SUIT and COSE require deterministic encoding). Byte-string contents are returned as offsets into
    /// the caller's buffer, so nothing is copied unless asked for.
    /// Errors throw CborException with the offset; the SUIT parser converts them to typed results.
    /// </summary>
    public sealed class CborReader
    {
        /// <summary>Nesting bound for SkipItem: SUIT's deepest structure is far below it.</summary>
        public const int MaxDepth = 16;

        private readonly byte[] _buffer;
        private readonly int _end;
        private int _position;

        public CborReader(byte[] buffer, int offset, int count)
        {
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length || count > buffer.Length - offset)
            {
                throw new System.ArgumentOutOfRangeException("count", "window outside the buffer");
            }

            _buffer = buffer;
            _position = offset;
            _end = offset + count;
        }

        public byte[] Buffer
        {
            get { return _buffer; }
        }

        /// <summary>Offset of the next item in Buffer.</summary>
        public int Position
        {
            get { return _position; }
        }

        /// <summary>Offset just past the window.</summary>
        public int End
        {
            get { return _end; }
        }

        public bool AtEnd
        {
            get { return _position >= _end; }
        }

        /// <summary>Major type of the next item (0..7).</summary>
        public int PeekMajorType()
        {
            Require(1);
            return _buffer[_position] >> 5;
        }

        /// <summary>True if the next item is the simple value null.</summary>
        public bool PeekIsNull()
        {
            Require(1);
            return _buffer[_position] == 0xF6;
        }

        public ulong ReadUInt64()
        {
            return ReadArgument(CborType.UnsignedInteger);
        }

        /// <summary>Reads an unsigned or negative integer that fits in a long.</summary>
        public long ReadInt64()
        {
            int at = _position;
            int major = PeekMajorType();
            if (major != CborType.UnsignedInteger && major != CborType.NegativeInteger)
            {
                throw new CborException(CborError.UnexpectedType, at, "integer expected");
            }

            ulong n = ReadArgument(major);
            if (n > 0x7FFFFFFFFFFFFFFFUL)
            {
                throw new CborException(CborError.TooLarge, at, "integer does not fit in 64 signed bits");
            }

            return major == CborType.UnsignedInteger ? (long)n : -1L - (long)n;
        }

        /// <summary>Reads an integer in the range of int.</summary>
        public int ReadInt32()
        {
            int at = _position;
            long v = ReadInt64();
            if (v < int.MinValue || v > int.MaxValue)
            {
                throw new CborException(CborError.TooLarge, at, "integer does not fit in 32 bits");
            }

            return (int)v;
        }

        /// <summary>
        /// Reads a byte string whose contents lie wholly in the window; returns their offset in Buffer.
        /// </summary>
        public int ReadByteString(out int length)
        {
            int at = _position;
            ulong n = ReadArgument(CborType.ByteString);
            if (n > (ulong)(_end - _position))
            {
                throw new CborException(CborError.Truncated, at, "byte string longer than the bytes available");
            }

            length = (int)n;
            int contents = _position;
            _position += length;
            return contents;
        }

        /// <summary>Reads a byte string into a new array; its length must not exceed maxLength.</summary>
        public byte[] ReadByteStringCopy(int maxLength)
        {
            int at = _position;
            int length;
            int offset = ReadByteString(out length);
            if (length > maxLength)
            {
                throw new CborException(CborError.TooLarge, at, "byte string longer than " + maxLength.ToString());
            }

            byte[] copy = new byte[length];
            System.Array.Copy(_buffer, offset, copy, 0, length);
            return copy;
        }

        /// <summary>
        /// Reads only the header of a byte string (its contents may lie beyond the window, as an
        /// integrated payload does); returns the declared length.
        /// </summary>
        public ulong ReadByteStringHeader()
        {
            return ReadArgument(CborType.ByteString);
        }

        /// <summary>Reads a UTF-8 text string of at most maxLength bytes.</summary>
        public string ReadTextString(int maxLength)
        {
            int at = _position;
            ulong n = ReadArgument(CborType.TextString);
            if (n > (ulong)(_end - _position))
            {
                throw new CborException(CborError.Truncated, at, "text string longer than the bytes available");
            }

            if (n > (ulong)maxLength)
            {
                throw new CborException(CborError.TooLarge, at, "text string longer than " + maxLength.ToString());
            }

            string s = Utf8.Decode(_buffer, _position, (int)n);
            if (s == null)
            {
                throw new CborException(CborError.InvalidUtf8, at, "text string is not valid UTF-8");
            }

            _position += (int)n;
            return s;
        }

        /// <summary>Reads an array header; the count is bounded by the bytes left (one per item at least).</summary>
        public int ReadArrayHeader()
        {
            int at = _position;
            ulong n = ReadArgument(CborType.Array);
            if (n > (ulong)(_end - _position))
            {
                throw new CborException(CborError.Truncated, at, "array declares more items than bytes available");
            }

            return (int)n;
        }

        /// <summary>Reads a map header; returns the number of pairs.</summary>
        public int ReadMapHeader()
        {
            int at = _position;
            ulong n = ReadArgument(CborType.Map);
            if (n > (ulong)(_end - _position) / 2)
            {
                throw new CborException(CborError.Truncated, at, "map declares more pairs than bytes available");
            }

            return (int)n;
        }

        public ulong ReadTag()
        {
            return ReadArgument(CborType.Tag);
        }

        public bool ReadBoolean()
        {
            Require(1);
            byte b = _buffer[_position];
            if (b == 0xF4 || b == 0xF5)
            {
                _position++;
                return b == 0xF5;
            }

            throw new CborException(CborError.UnexpectedType, _position, "boolean expected");
        }

        public void ReadNull()
        {
            Require(1);
            if (_buffer[_position] != 0xF6)
            {
                throw new CborException(CborError.UnexpectedType, _position, "null expected");
            }

            _position++;
        }

        /// <summary>Skips one complete item of any type (bounded nesting).</summary>
        public void SkipItem()
        {
            Skip(0);
        }

        private void Skip(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new CborException(CborError.TooDeep, _position, "nesting deeper than " + MaxDepth.ToString());
            }

            int major = PeekMajorType();
            int ai = _buffer[_position] & 0x1F;
            switch (major)
            {
                case CborType.UnsignedInteger:
                case CborType.NegativeInteger:
                    ReadArgument(major);
                    return;
                case CborType.ByteString:
                case CborType.TextString:
                    {
                        int at = _position;
                        ulong n = ReadArgument(major);
                        if (n > (ulong)(_end - _position))
                        {
                            throw new CborException(CborError.Truncated, at, "string longer than the bytes available");
                        }

                        _position += (int)n;
                        return;
                    }

                case CborType.Array:
                    {
                        int count = ReadArrayHeader();
                        for (int i = 0; i < count; i++)
                        {
                            Skip(depth + 1);
                        }

                        return;
                    }

                case CborType.Map:
                    {
                        int count = ReadMapHeader();
                        for (int i = 0; i < 2 * count; i++)
                        {
                            Skip(depth + 1);
                        }

                        return;
                    }

                case CborType.Tag:
                    ReadArgument(major);
                    Skip(depth + 1);
                    return;
                default:
                    // Major type 7: simple values and floats; the argument is the whole item.
                    if (ai == CborType.Indefinite)
                    {
                        throw new CborException(CborError.Malformed, _position, "unexpected break");
                    }

                    ReadArgument(major);
                    return;
            }
        }

        // RFC 8949, section 3: the initial byte's low 5 bits either hold the argument (0..23) or say
        // how many following bytes do (24..27); 28..30 are reserved; 31 is indefinite length.
        private ulong ReadArgument(int expectedMajor)
        {
            int at = _position;
            Require(1);
            int initial = _buffer[_position];
            if ((initial >> 5) != expectedMajor)
            {
                throw new CborException(CborError.UnexpectedType, at, TypeName(expectedMajor) + " expected");
            }

            int ai = initial & 0x1F;
            _position++;
            if (ai < CborType.OneByteArgument)
            {
                return (ulong)ai;
            }

            if (ai == CborType.Indefinite)
            {
                throw new CborException(CborError.IndefiniteLength, at, "indefinite length not allowed");
            }

            if (ai > CborType.EightByteArgument)
            {
                throw new CborException(CborError.Malformed, at, "reserved additional information");
            }

            int size = 1 << (ai - CborType.OneByteArgument);
            if (size > _end - _position)
            {
                _position = at;
                throw new CborException(CborError.Truncated, at, "argument runs past the end");
            }

            ulong value = 0;
            for (int i = 0; i < size; i++)
            {
                value = (value << 8) | _buffer[_position + i];
            }

            _position += size;
            return value;
        }

        private void Require(int bytes)
        {
            if (bytes > _end - _position)
            {
                throw new CborException(CborError.Truncated, _position, "unexpected end of data");
            }
        }

        private static string TypeName(int major)
        {
            switch (major)
            {
                case CborType.UnsignedInteger: return "unsigned integer";
                case CborType.NegativeInteger: return "negative integer";
                case CborType.ByteString: return "byte string";
                case CborType.TextString: return "text string";
                case CborType.Array: return "array";
                case CborType.Map: return "map";
                case CborType.Tag: return "tag";
                default: return "simple value";
            }
        }
    }
}

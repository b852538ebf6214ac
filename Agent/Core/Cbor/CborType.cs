namespace SecureOta.Core.Cbor
{
    /// <summary>CBOR major types and additional-information values (RFC 8949, section 3).</summary>
    public static class CborType
    {
        /// <summary>Major type 0: unsigned integer (RFC 8949, 3.1).</summary>
        public const int UnsignedInteger = 0;

        /// <summary>Major type 1: negative integer -1-n.</summary>
        public const int NegativeInteger = 1;

        /// <summary>Major type 2: byte string.</summary>
        public const int ByteString = 2;

        /// <summary>Major type 3: UTF-8 text string.</summary>
        public const int TextString = 3;

        /// <summary>Major type 4: array.</summary>
        public const int Array = 4;

        /// <summary>Major type 5: map.</summary>
        public const int Map = 5;

        /// <summary>Major type 6: tag.</summary>
        public const int Tag = 6;

        /// <summary>Major type 7: simple values and floats.</summary>
        public const int Simple = 7;

        /// <summary>Additional information 24..27: the argument follows in 1, 2, 4 or 8 bytes (RFC 8949, 3).</summary>
        public const int OneByteArgument = 24;
        public const int TwoByteArgument = 25;
        public const int FourByteArgument = 26;
        public const int EightByteArgument = 27;

        /// <summary>Additional information 31: indefinite length (RFC 8949, 3.2.1); rejected by this profile.</summary>
        public const int Indefinite = 31;

        /// <summary>Simple values false, true, null, undefined (RFC 8949, 3.3).</summary>
        public const int SimpleFalse = 20;
        public const int SimpleTrue = 21;
        public const int SimpleNull = 22;
        public const int SimpleUndefined = 23;
    }
}

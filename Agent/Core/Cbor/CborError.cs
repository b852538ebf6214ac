namespace SecureOta.Core.Cbor
{
    /// <summary>Why CBOR could not be read. Values are stable: they appear in reports.</summary>
    public enum CborError
    {
        None = 0,

        /// <summary>The item runs past the end of the bytes available.</summary>
        Truncated = 1,

        /// <summary>A different major type was expected here.</summary>
        UnexpectedType = 2,

        /// <summary>Indefinite-length items are not allowed (deterministic encoding, RFC 8949 4.2).</summary>
        IndefiniteLength = 3,

        /// <summary>Reserved additional information 28..30 (RFC 8949, 3).</summary>
        Malformed = 4,

        /// <summary>A length or value is larger than this reader accepts.</summary>
        TooLarge = 5,

        /// <summary>Nesting deeper than the reader's bound.</summary>
        TooDeep = 6,

        /// <summary>A text string that is not valid UTF-8.</summary>
        InvalidUtf8 = 7,
    }
}

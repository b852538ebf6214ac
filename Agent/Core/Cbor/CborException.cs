using System;

namespace SecureOta.Core.Cbor
{
    /// <summary>
    /// Raised by CborReader inside the codec only; the SUIT layer turns it into a typed result with
    /// the byte offset, so callers never see it.
    /// </summary>
    public class CborException : Exception
    {
        public CborException(CborError error, int offset, string message)
            : base(message)
        {
            Error = error;
            Offset = offset;
        }

        public CborError Error { get; private set; }

        /// <summary>Offset of the offending item in the reader's buffer.</summary>
        public int Offset { get; private set; }
    }
}

using System;

namespace SecureOta.Core.Suit
{
    /// <summary>Raised inside the SUIT parser; the public entry points return a SuitResult instead.</summary>
    public class SuitException : Exception
    {
        public SuitException(SuitError error, int offset, string message)
            : base(message)
        {
            Error = error;
            Offset = offset;
        }

        public SuitError Error { get; private set; }

        public int Offset { get; private set; }
    }
}

using System;

namespace SecureOta.Core.Cose
{
    /// <summary>A COSE structure that is well-formed CBOR but not what the profile allows.</summary>
    public class CoseException : Exception
    {
        public CoseException(int offset, string message)
            : base(message)
        {
            Offset = offset;
        }

        public int Offset { get; private set; }
    }
}

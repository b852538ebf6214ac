namespace SecureOta.Core.Suit
{
    /// <summary>
    /// One command sequence of the manifest (validate, install, ...): whether present, whether severed
    /// (only its digest is in the manifest), and the command identifiers it holds, in order.
    /// </summary>
    public sealed class SuitSequence
    {
        public SuitSequence(string name)
        {
            Name = name;
            Commands = new int[0];
        }

        public string Name { get; private set; }

        public bool Present { get; set; }

        /// <summary>True if the manifest holds only the digest; the member itself is in the envelope (or absent).</summary>
        public bool Severed { get; set; }

        /// <summary>For a severed member: the SHA-256 from the manifest.</summary>
        public byte[] SeveredDigest { get; set; }

        /// <summary>True once the command bytes were available and parsed (inline, or severed and matched).</summary>
        public bool Parsed { get; set; }

        /// <summary>Top-level command identifiers, in order.</summary>
        public int[] Commands { get; set; }

        public bool Contains(int command)
        {
            for (int i = 0; i < Commands.Length; i++)
            {
                if (Commands[i] == command)
                {
                    return true;
                }
            }

            return false;
        }
    }
}

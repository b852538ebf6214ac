namespace SecureOta.Core.Suit
{
    /// <summary>
    /// The SUIT parameters in force for one component after the command sequences outside
    /// try-each have run (manifest-37, 8.4.8). Unset values are null or -1.
    /// </summary>
    public sealed class SuitParameters
    {
        public SuitParameters()
        {
            ImageSize = -1;
            ComponentSlot = -1;
            SourceComponent = -1;
        }

        public byte[] VendorId { get; set; }

        public byte[] ClassId { get; set; }

        public byte[] DeviceId { get; set; }

        /// <summary>SUIT_Digest algorithm of the image digest (-16 = SHA-256), 0 if unset.</summary>
        public int ImageDigestAlgorithm { get; set; }

        public byte[] ImageDigest { get; set; }

        public long ImageSize { get; set; }

        public long ComponentSlot { get; set; }

        public long SourceComponent { get; set; }

        public string Uri { get; set; }

        /// <summary>
        /// The uri of the bytes a directive-copy brought into this component: its source component's uri at
        /// the time of the copy (an encrypted image of a pair is fetched into ["ciphertext"], then copied).
        /// </summary>
        public string CopiedFromUri { get; set; }

        /// <summary>Where this component's payload comes from: the uri it was copied from, else its own.</summary>
        public string PayloadUri
        {
            get { return CopiedFromUri != null ? CopiedFromUri : Uri; }
        }

        /// <summary>The bstr-wrapped SUIT_Encryption_Info contents, or null.</summary>
        public byte[] EncryptionInfo { get; set; }

        public byte[] Content { get; set; }

        /// <summary>suit-parameter-version's comparison type (1..5), 0 if unset.</summary>
        public int VersionComparison { get; set; }

        /// <summary>suit-parameter-version's comparison value (one integer per version part), or null.</summary>
        public long[] Version { get; set; }
    }
}

namespace SecureOta.Core.Suit
{
    /// <summary>What a data set's manifest says (input of SuitBuilder).</summary>
    public sealed class SuitManifestSpec
    {
        public SuitManifestSpec()
        {
            PayloadKey = "#image";
        }

        public long SequenceNumber { get; set; }

        /// <summary>Component name: "deploy" (managed application) or "nanoclr" (firmware).</summary>
        public string Component { get; set; }

        public byte[] VendorId { get; set; }

        public byte[] ClassId { get; set; }

        /// <summary>SHA-256 of the plaintext image.</summary>
        public byte[] ImageDigest { get; set; }

        public long ImageSize { get; set; }

        /// <summary>Human version string (suit-text-component-version), e.g. "1.4.2".</summary>
        public string Version { get; set; }

        public string VendorDomain { get; set; }

        public string ModelName { get; set; }

        /// <summary>Encoded SUIT_Encryption_Info (COSE_Encrypt) for an encrypted payload, or null.</summary>
        public byte[] EncryptionInfo { get; set; }

        /// <summary>Key of the integrated payload ("#image"), or null for a detached payload at DetachedUri.</summary>
        public string PayloadKey { get; set; }

        public string DetachedUri { get; set; }

        /// <summary>
        /// Severable text: the SHA-256 of the bstr-wrapped text map (SuitBuilder.SeveredTextDigest of
        /// SuitBuilder.BuildText), which the manifest then carries instead of the text; null keeps the text inline.
        /// </summary>
        public byte[] SeveredTextDigest { get; set; }

        /// <summary>
        /// The second image of a two-component data set (firmware and application released together,
        /// installed atomically: docs/data-set-format.md 1b), or null. This spec then describes the first,
        /// "nanoclr"; the second is "deploy". Both payloads are detached.
        /// </summary>
        public SuitImageSpec Second { get; set; }

        /// <summary>
        /// A firmware dependency of an application data set (docs/data-set-format.md 1c): the firmware
        /// ("nanoclr") version the device must run at least, one integer per part (e.g. 1, 2, 0), or null.
        /// </summary>
        public long[] RequiresFirmware { get; set; }
    }

    /// <summary>The second image of a two-component data set: its component, plaintext digest and size, and where it is fetched from.</summary>
    public sealed class SuitImageSpec
    {
        public string Component { get; set; }

        public byte[] ImageDigest { get; set; }

        public long ImageSize { get; set; }

        public string DetachedUri { get; set; }

        /// <summary>Encoded SUIT_Encryption_Info of this image (both images of a pair are encrypted, or neither), or null.</summary>
        public byte[] EncryptionInfo { get; set; }
    }
}

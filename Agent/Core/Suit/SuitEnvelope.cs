namespace SecureOta.Core.Suit
{
    /// <summary>
    /// Where things are in a SUIT envelope (manifest-37, 8.2) whose header was read from a buffer:
    /// the authentication wrapper, the bstr-wrapped manifest, severed members, and the integrated
    /// payload's position and length in the file (its bytes need not be in the buffer).
    /// </summary>
    public sealed class SuitEnvelope
    {
        /// <summary>The buffer the header was read from (offsets below index into it).</summary>
        public byte[] Buffer { get; set; }

        /// <summary>SUIT_Digest algorithm of the authentication wrapper (-16).</summary>
        public int AuthDigestAlgorithm { get; set; }

        public byte[] AuthDigest { get; set; }

        /// <summary>The encoded SUIT_Digest (the detached COSE payload) in Buffer.</summary>
        public int AuthDigestEncodedOffset { get; set; }

        public int AuthDigestEncodedLength { get; set; }

        public SecureOta.Core.Cose.CoseSign1[] Signatures { get; set; }

        /// <summary>The bstr-wrapped manifest (header and contents): what the digest covers.</summary>
        public int ManifestWrappedOffset { get; set; }

        public int ManifestWrappedLength { get; set; }

        /// <summary>The manifest's contents (inside the bstr).</summary>
        public int ManifestOffset { get; set; }

        public int ManifestLength { get; set; }

        /// <summary>Severed install member, bstr-wrapped region, or -1.</summary>
        public int SeveredInstallWrappedOffset { get; set; }

        public int SeveredInstallWrappedLength { get; set; }

        /// <summary>Severed text member, bstr-wrapped region, or -1.</summary>
        public int SeveredTextWrappedOffset { get; set; }

        public int SeveredTextWrappedLength { get; set; }

        /// <summary>Severed payload-fetch member, bstr-wrapped region, or -1.</summary>
        public int SeveredPayloadFetchWrappedOffset { get; set; }

        public int SeveredPayloadFetchWrappedLength { get; set; }

        /// <summary>Key of the integrated payload (e.g. "#image"), or null if the payload is detached.</summary>
        public string PayloadKey { get; set; }

        /// <summary>Offset of the first payload byte in the file, or -1.</summary>
        public long PayloadOffset { get; set; }

        public long PayloadLength { get; set; }

        /// <summary>Bytes of the file before the payload (or the whole envelope if there is none).</summary>
        public int HeaderLength { get; set; }

        /// <summary>The parsed manifest, once authenticated (or parsed unverified for inspection).</summary>
        public SuitManifest Manifest { get; set; }

        public bool HasIntegratedPayload
        {
            get { return PayloadKey != null; }
        }
    }
}

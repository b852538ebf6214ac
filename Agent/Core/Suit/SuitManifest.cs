namespace SecureOta.Core.Suit
{
    /// <summary>A parsed SUIT_Manifest (manifest-37, 8.4), reduced to what processing and inspection need.</summary>
    public sealed class SuitManifest
    {
        public SuitManifest()
        {
            Validate = new SuitSequence("validate");
            Load = new SuitSequence("load");
            Invoke = new SuitSequence("invoke");
            PayloadFetch = new SuitSequence("payload-fetch");
            Install = new SuitSequence("install");
            SharedSequence = new SuitSequence("shared-sequence");
        }

        public int Version { get; set; }

        /// <summary>manifest-sequence-number: the anti-rollback counter (manifest-37, 8.4.2).</summary>
        public long SequenceNumber { get; set; }

        /// <summary>Component identifiers: each is an array of byte strings.</summary>
        public byte[][][] Components { get; set; }

        /// <summary>Parameters per component index, after the shared, validate and install sequences.</summary>
        public SuitParameters[] Parameters { get; set; }

        public string ReferenceUri { get; set; }

        public SuitSequence SharedSequence { get; private set; }

        public SuitSequence Validate { get; private set; }

        public SuitSequence Load { get; private set; }

        public SuitSequence Invoke { get; private set; }

        public SuitSequence PayloadFetch { get; private set; }

        public SuitSequence Install { get; private set; }

        /// <summary>True if the text member is present (inline, or severed and matched).</summary>
        public bool HasText { get; set; }

        /// <summary>True if the manifest holds only the text's digest.</summary>
        public bool TextSevered { get; set; }

        /// <summary>A severed text's digest as the manifest gives it (SHA-256 of the bstr-wrapped member), or null.</summary>
        public byte[] TextDigest { get; set; }

        /// <summary>suit-text-component-version of the first component (the human version string), or null.</summary>
        public string TextVersion { get; set; }

        /// <summary>suit-text-vendor-domain of the first component, or null.</summary>
        public string TextVendorDomain { get; set; }

        /// <summary>suit-text-model-name of the first component, or null.</summary>
        public string TextModelName { get; set; }

        /// <summary>
        /// The parameters of the component the install sequence fetches into: the target itself, or in an
        /// encrypted data set the transient ciphertext component (1) that the copy decrypts into the target
        /// (docs/data-set-format.md 4). Its uri names the payload.
        /// </summary>
        public SuitParameters FetchParameters
        {
            get { return Parameters == null || Parameters.Length == 0 ? null : IsEncryptedShape ? Parameters[1] : Parameters[0]; }
        }

        /// <summary>Two components, the second the transient ["ciphertext"] an encrypted image is fetched into.</summary>
        public bool IsEncryptedShape
        {
            get { return Components != null && Components.Length == 2 + (DependencyIndex > 0 ? 1 : 0) && ComponentIs(1, SuitBuilder.CiphertextComponent); }
        }

        /// <summary>
        /// A firmware dependency (docs/data-set-format.md 1c): an application ["deploy"] whose last component
        /// is ["nanoclr"], named only to compare its installed version (suit-condition-version). Its index,
        /// or -1.
        /// </summary>
        public int DependencyIndex
        {
            get
            {
                if (Components == null || Components.Length < 2 || Components.Length > 3 || !ComponentIs(0, SuitPairBuilder.SecondComponent))
                {
                    return -1;
                }

                int last = Components.Length - 1;
                bool middleIsCiphertext = Components.Length == 2 || ComponentIs(1, SuitBuilder.CiphertextComponent);
                return middleIsCiphertext && ComponentIs(last, SuitPairBuilder.FirstComponent) ? last : -1;
            }
        }

        /// <summary>The firmware version the data set requires at least (its dependency's suit-parameter-version), or null.</summary>
        public long[] RequiredFirmware
        {
            get
            {
                int d = DependencyIndex;
                return d < 0 || Parameters == null || d >= Parameters.Length ? null : Parameters[d].Version;
            }
        }

        /// <summary>Two images installed together: ["nanoclr"] and ["deploy"] (SuitPairBuilder).</summary>
        public bool IsPair
        {
            get
            {
                return Components != null && (Components.Length == 2 || (Components.Length == 3 && ComponentIs(2, SuitBuilder.CiphertextComponent)))
                    && ComponentIs(0, SuitPairBuilder.FirstComponent) && ComponentIs(1, SuitPairBuilder.SecondComponent);
            }
        }

        /// <summary>Whether component `index` is the one-part identifier `name`.</summary>
        public bool ComponentIs(int index, string name)
        {
            if (Components == null || index >= Components.Length || Components[index].Length != 1)
            {
                return false;
            }

            byte[] id = Components[index][0];
            return SecureOta.Core.Cbor.Utf8.Decode(id, 0, id.Length) == name;
        }

        /// <summary>The first component identifier's first element as text (e.g. "deploy"), or null.</summary>
        public string ComponentName
        {
            get
            {
                if (Components == null || Components.Length == 0 || Components[0].Length == 0)
                {
                    return null;
                }

                byte[] id = Components[0][0];
                return SecureOta.Core.Cbor.Utf8.Decode(id, 0, id.Length);
            }
        }
    }
}

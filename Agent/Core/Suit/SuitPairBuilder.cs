using SecureOta.Core.Cbor;

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// The manifest of a two-component data set (docs/data-set-format.md 1b): the firmware ("nanoclr",
    /// component 0) and the application ("deploy", component 1) released together, because a managed
    /// application built against new native code cannot run on the old firmware. Each component gets its
    /// own parameters through set-component-index (manifest-37 section 8.4.10.1); both payloads are
    /// detached, so the staged header is one contiguous envelope. Encrypted, each image has its own
    /// encryption info and is fetched into a third, transient ["ciphertext"] component and decrypted by the
    /// copy into its target (firmware-encryption-24 section 8), as a single encrypted image is:
    /// install = for each image i: 12,2, 20{21 uri_i}, 21,15, 12,i, 20{19 info_i, 22 2}, 22,15, 3,15.
    /// <code>
    /// common 2: [ ['nanoclr'], ['deploy'] ]
    ///   shared: 12,0, 20{1 vendor, 2 class, 3 digest0, 14 size0}, 1,15, 2,15,
    ///           12,1, 20{1 vendor, 2 class, 3 digest1, 14 size1}, 1,15, 2,15
    /// validate: 12,0, 3,15, 12,1, 3,15
    /// install:  12,0, 20{21 uri0}, 21,15, 3,15, 12,1, 20{21 uri1}, 21,15, 3,15
    /// text:     {"en": {['deploy']: {...}, ['nanoclr']: {...}}}
    /// </code>
    /// </summary>
    public static class SuitPairBuilder
    {
        public const string FirstComponent = "nanoclr", SecondComponent = "deploy";

        public static byte[] BuildManifest(SuitManifestSpec spec)
        {
            Validate(spec);
            SuitImageSpec second = spec.Second;

            CborWriter shared = new CborWriter();
            shared.WriteArrayHeader(16);
            WriteImageParameters(shared, 0, spec.VendorId, spec.ClassId, spec.ImageDigest, spec.ImageSize);
            WriteImageParameters(shared, 1, spec.VendorId, spec.ClassId, second.ImageDigest, second.ImageSize);

            bool encrypted = spec.EncryptionInfo != null;
            byte[] common = SuitBuilder.BuildCommon(encrypted
                ? new byte[][] { Utf8.Encode(FirstComponent), Utf8.Encode(SecondComponent), Utf8.Encode(SuitBuilder.CiphertextComponent) }
                : new byte[][] { Utf8.Encode(FirstComponent), Utf8.Encode(SecondComponent) }, shared.ToArray());

            CborWriter validate = new CborWriter(16);
            validate.WriteArrayHeader(8);
            for (int i = 0; i < 2; i++)
            {
                validate.WriteInt64(SuitLabels.DirectiveSetComponentIndex);
                validate.WriteInt64(i);
                validate.WriteInt64(SuitLabels.ConditionImageMatch);
                validate.WriteInt64(SuitLabels.ReportAll);
            }

            CborWriter install = new CborWriter();
            install.WriteArrayHeader(encrypted ? 28 : 16);
            if (encrypted)
            {
                WriteFetchAndDecrypt(install, 0, spec.DetachedUri, spec.EncryptionInfo);
                WriteFetchAndDecrypt(install, 1, second.DetachedUri, second.EncryptionInfo);
            }
            else
            {
                WriteFetch(install, 0, spec.DetachedUri);
                WriteFetch(install, 1, second.DetachedUri);
            }

            return SuitBuilder.AssembleManifest(spec, common, validate.ToArray(), install.ToArray(), BuildText(spec));
        }

        /// <summary>The text map with one entry per component (map keys in deterministic order: ['deploy'] before ['nanoclr']).</summary>
        public static byte[] BuildText(SuitManifestSpec spec)
        {
            CborWriter text = new CborWriter();
            text.WriteMapHeader(1);
            text.WriteTextString(SuitLabels.TextLanguage);
            text.WriteMapHeader(2);
            SuitBuilder.WriteComponentText(text, SecondComponent, spec);
            SuitBuilder.WriteComponentText(text, FirstComponent, spec);
            return text.ToArray();
        }

        // set-component-index i, override-parameters {vendor, class, digest, size}, condition-vendor, condition-class (8 items)
        private static void WriteImageParameters(CborWriter w, int index, byte[] vendor, byte[] cls, byte[] digest, long size)
        {
            w.WriteInt64(SuitLabels.DirectiveSetComponentIndex);
            w.WriteInt64(index);
            w.WriteInt64(SuitLabels.DirectiveOverrideParameters);
            w.WriteMapHeader(4);
            w.WriteInt64(SuitLabels.ParameterVendorIdentifier);
            w.WriteByteString(vendor);
            w.WriteInt64(SuitLabels.ParameterClassIdentifier);
            w.WriteByteString(cls);
            w.WriteInt64(SuitLabels.ParameterImageDigest);
            w.WriteByteString(SuitDigest.Encode(digest));
            w.WriteInt64(SuitLabels.ParameterImageSize);
            w.WriteInt64(size);
            w.WriteInt64(SuitLabels.ConditionVendorIdentifier);
            w.WriteInt64(SuitLabels.ReportAll);
            w.WriteInt64(SuitLabels.ConditionClassIdentifier);
            w.WriteInt64(SuitLabels.ReportAll);
        }

        // set-component-index i, override-parameters {uri}, fetch, image-match (8 items)
        private static void WriteFetch(CborWriter w, int index, string uri)
        {
            SuitBuilder.WriteFetchInto(w, index, uri);
            WriteImageMatch(w);
        }

        // 12,2, 20{21 uri}, 21,15, 12,i, 20{19 info, 22 2}, 22,15, 3,15 (14 items)
        private static void WriteFetchAndDecrypt(CborWriter w, int index, string uri, byte[] encryptionInfo)
        {
            SuitBuilder.WriteFetchInto(w, CiphertextIndex, uri);
            SuitBuilder.WriteDecryptingCopy(w, index, encryptionInfo, CiphertextIndex);
            WriteImageMatch(w);
        }

        private static void WriteImageMatch(CborWriter w)
        {
            w.WriteInt64(SuitLabels.ConditionImageMatch);
            w.WriteInt64(SuitLabels.ReportAll);
        }

        /// <summary>The transient component an encrypted pair's images are fetched into (component 2).</summary>
        public const int CiphertextIndex = 2;

        private static void Validate(SuitManifestSpec spec)
        {
            SuitImageSpec second = spec.Second;
            if (spec.Component != FirstComponent || second.Component != SecondComponent)
            {
                throw new System.ArgumentException("a two-component data set carries nanoclr (first) and deploy (second)");
            }

            if ((spec.EncryptionInfo == null) != (second.EncryptionInfo == null) || spec.SeveredTextDigest != null)
            {
                throw new System.ArgumentException("both images of a two-component data set are encrypted, or neither; its text is inline");
            }

            if (spec.DetachedUri == null || second.DetachedUri == null || spec.PayloadKey != null)
            {
                throw new System.ArgumentException("both payloads of a two-component data set are detached");
            }

            if (second.ImageDigest == null || second.ImageDigest.Length != 32 || second.ImageSize <= 0 || spec.ImageSize <= 0)
            {
                throw new System.ArgumentException("image digest (32 bytes) and size required for both components");
            }
        }
    }
}

using SecureOta.Core.Cbor;
using SecureOta.Core.Cose;
using SecureOta.Core.Crypto;

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// Builds data sets of this product's profile (docs/data-set-format.md) in three steps, so that the
    /// signature can come from an HSM: BuildManifest, then ToBeSigned (the exact bytes an ES256 signer
    /// signs), then BuildEnvelopeHeader with the signature. The payload bytes follow the header.
    /// All maps are written with keys in ascending order (deterministic CBOR, RFC 8949 4.2.1).
    /// </summary>
    public static class SuitBuilder
    {
        /// <summary>The transient component an encrypted image is fetched into before the copy decrypts it (component 1).</summary>
        public const string CiphertextComponent = "ciphertext";
        public const int CiphertextComponentIndex = 1;

        public static byte[] BuildManifest(SuitManifestSpec spec)
        {
            Validate(spec);
            if (spec.Second != null)
            {
                return SuitPairBuilder.BuildManifest(spec);
            }

            byte[] componentId = Utf8.Encode(spec.Component);

            bool dependency = spec.RequiresFirmware != null;
            CborWriter shared = new CborWriter();
            shared.WriteArrayHeader(dependency ? 12 : 6);
            shared.WriteInt64(SuitLabels.DirectiveOverrideParameters);
            shared.WriteMapHeader(4);
            shared.WriteInt64(SuitLabels.ParameterVendorIdentifier);
            shared.WriteByteString(spec.VendorId);
            shared.WriteInt64(SuitLabels.ParameterClassIdentifier);
            shared.WriteByteString(spec.ClassId);
            shared.WriteInt64(SuitLabels.ParameterImageDigest);
            shared.WriteByteString(SuitDigest.Encode(spec.ImageDigest));
            shared.WriteInt64(SuitLabels.ParameterImageSize);
            shared.WriteInt64(spec.ImageSize);
            shared.WriteInt64(SuitLabels.ConditionVendorIdentifier);
            shared.WriteInt64(SuitLabels.ReportAll);
            shared.WriteInt64(SuitLabels.ConditionClassIdentifier);
            shared.WriteInt64(SuitLabels.ReportAll);
            bool encrypted = spec.EncryptionInfo != null;
            if (dependency)
            {
                WriteFirmwareDependency(shared, encrypted ? 2 : 1, spec.RequiresFirmware);
            }

            // An encrypted image is fetched as it travels into a second, transient component and
            // decrypted by copying it into the target (firmware-encryption-24 section 8: decryption
            // happens in copy or write). A device may stream the two as one (docs/data-set-format.md 4).
            byte[][] components = encrypted ? new byte[][] { componentId, Utf8.Encode(CiphertextComponent) } : new byte[][] { componentId };
            if (dependency)
            {
                byte[][] withFirmware = new byte[components.Length + 1][];
                System.Array.Copy(components, withFirmware, components.Length);
                withFirmware[components.Length] = Utf8.Encode(SuitPairBuilder.FirstComponent);
                components = withFirmware;
            }

            byte[] common = BuildCommon(components, shared.ToArray());

            CborWriter validate = new CborWriter(8);
            validate.WriteArrayHeader(2);
            validate.WriteInt64(SuitLabels.ConditionImageMatch);
            validate.WriteInt64(SuitLabels.ReportAll);

            CborWriter install = new CborWriter();
            string uri = spec.PayloadKey != null ? spec.PayloadKey : spec.DetachedUri;
            if (encrypted)
            {
                // [12, 1, 20, {21: uri}, 21, 15, 12, 0, 20, {19: encryption-info, 22: 1}, 22, 15, 3, 15]
                install.WriteArrayHeader(14);
                WriteFetchInto(install, CiphertextComponentIndex, uri);
                WriteDecryptingCopy(install, 0, spec.EncryptionInfo, CiphertextComponentIndex);
            }
            else
            {
                // [20, {21: uri}, 21, 15, 3, 15]
                install.WriteArrayHeader(6);
                install.WriteInt64(SuitLabels.DirectiveOverrideParameters);
                install.WriteMapHeader(1);
                install.WriteInt64(SuitLabels.ParameterUri);
                install.WriteTextString(uri);
                install.WriteInt64(SuitLabels.DirectiveFetch);
                install.WriteInt64(SuitLabels.ReportAll);
            }

            install.WriteInt64(SuitLabels.ConditionImageMatch);
            install.WriteInt64(SuitLabels.ReportAll);

            return AssembleManifest(spec, common, validate.ToArray(), install.ToArray(), BuildText(spec));
        }

        /// <summary>
        /// SUIT_Common (manifest-37 8.4.5): the components, each a one-part identifier, in index order, and
        /// the shared sequence. One writer for single-image and two-component data sets.
        /// </summary>
        internal static byte[] BuildCommon(byte[][] componentIds, byte[] sharedSequence)
        {
            CborWriter common = new CborWriter();
            common.WriteMapHeader(2);
            common.WriteInt64(SuitLabels.CommonComponents);
            common.WriteArrayHeader(componentIds.Length);
            for (int i = 0; i < componentIds.Length; i++)
            {
                common.WriteArrayHeader(1);
                common.WriteByteString(componentIds[i]);
            }

            common.WriteInt64(SuitLabels.CommonSharedSequence);
            common.WriteByteString(sharedSequence);
            return common.ToArray();
        }

        /// <summary>
        /// The firmware dependency (docs/data-set-format.md 1c), 6 items of the shared sequence:
        /// set-component-index `index` (["nanoclr"]), override-parameters {28: bstr .cbor [2, [parts]]},
        /// condition-version (update-management: suit-parameter-version and suit-condition-version, 28).
        /// </summary>
        internal static void WriteFirmwareDependency(CborWriter w, int index, long[] version)
        {
            CborWriter match = new CborWriter(16);
            match.WriteArrayHeader(2);
            match.WriteInt64(SuitLabels.VersionComparisonGreaterEqual);
            match.WriteArrayHeader(version.Length);
            for (int i = 0; i < version.Length; i++)
            {
                match.WriteInt64(version[i]);
            }

            w.WriteInt64(SuitLabels.DirectiveSetComponentIndex);
            w.WriteInt64(index);
            w.WriteInt64(SuitLabels.DirectiveOverrideParameters);
            w.WriteMapHeader(1);
            w.WriteInt64(SuitLabels.ParameterVersion);
            w.WriteByteString(match.ToArray());
            w.WriteInt64(SuitLabels.ConditionVersion);
            w.WriteInt64(SuitLabels.ReportAll);
        }

        /// <summary>set-component-index `index`, override-parameters {uri}, fetch (6 items; directives of manifest-37 8.4.10).</summary>
        internal static void WriteFetchInto(CborWriter w, int index, string uri)
        {
            w.WriteInt64(SuitLabels.DirectiveSetComponentIndex);
            w.WriteInt64(index);
            w.WriteInt64(SuitLabels.DirectiveOverrideParameters);
            w.WriteMapHeader(1);
            w.WriteInt64(SuitLabels.ParameterUri);
            w.WriteTextString(uri);
            w.WriteInt64(SuitLabels.DirectiveFetch);
            w.WriteInt64(SuitLabels.ReportAll);
        }

        /// <summary>
        /// set-component-index `target`, override-parameters {encryption-info, source-component `source`},
        /// copy (8 items): the copy decrypts (firmware-encryption-24 section 8).
        /// </summary>
        internal static void WriteDecryptingCopy(CborWriter w, int target, byte[] encryptionInfo, int source)
        {
            w.WriteInt64(SuitLabels.DirectiveSetComponentIndex);
            w.WriteInt64(target);
            w.WriteInt64(SuitLabels.DirectiveOverrideParameters);
            w.WriteMapHeader(2);
            w.WriteInt64(SuitLabels.ParameterEncryptionInfo);
            w.WriteByteString(encryptionInfo);
            w.WriteInt64(SuitLabels.ParameterSourceComponent);
            w.WriteInt64(source);
            w.WriteInt64(SuitLabels.DirectiveCopy);
            w.WriteInt64(SuitLabels.ReportAll);
        }

        /// <summary>
        /// The manifest map (keys ascending): version 1, sequence, common, validate, install, and the text
        /// inline or, severed (manifest-37 8.4.4, SHOULD), the SUIT_Digest of the bstr-wrapped text, which
        /// then travels as envelope member 23 (BuildEnvelopeHeader).
        /// </summary>
        internal static byte[] AssembleManifest(SuitManifestSpec spec, byte[] common, byte[] validate, byte[] install, byte[] text)
        {
            CborWriter m = new CborWriter(512 + install.Length);
            m.WriteMapHeader(6);
            m.WriteInt64(SuitLabels.ManifestVersion);
            m.WriteInt64(SuitLabels.ManifestVersionValue);
            m.WriteInt64(SuitLabels.ManifestSequenceNumber);
            m.WriteInt64(spec.SequenceNumber);
            m.WriteInt64(SuitLabels.ManifestCommon);
            m.WriteByteString(common);
            m.WriteInt64(SuitLabels.ManifestValidate);
            m.WriteByteString(validate);
            m.WriteInt64(SuitLabels.ManifestInstall);
            m.WriteByteString(install);
            m.WriteInt64(SuitLabels.ManifestText);
            if (spec.SeveredTextDigest != null)
            {
                m.WriteEncoded(SuitDigest.Encode(spec.SeveredTextDigest));
            }
            else
            {
                m.WriteByteString(text);
            }

            return m.ToArray();
        }

        /// <summary>
        /// SUIT_Text_Map = { "en" => { [component] => { ? 2: model, ? 3: vendor domain, 6: version } } }
        /// (manifest-37, 8.4.4: the language level, then SUIT_Text_LMap).
        /// </summary>
        public static byte[] BuildText(SuitManifestSpec spec)
        {
            CborWriter text = new CborWriter();
            text.WriteMapHeader(1);
            text.WriteTextString(SuitLabels.TextLanguage);
            text.WriteMapHeader(1);
            WriteComponentText(text, spec.Component, spec);
            return text.ToArray();
        }

        /// <summary>One SUIT_Text_LMap entry: [component] => { ? 2: model, ? 3: vendor domain, 6: version }.</summary>
        internal static void WriteComponentText(CborWriter text, string component, SuitManifestSpec spec)
        {
            int fields = 1 + (spec.ModelName != null ? 1 : 0) + (spec.VendorDomain != null ? 1 : 0);
            text.WriteArrayHeader(1);
            text.WriteByteString(Utf8.Encode(component));
            text.WriteMapHeader(fields);
            if (spec.ModelName != null)
            {
                text.WriteInt64(SuitLabels.TextModelName);
                text.WriteTextString(spec.ModelName);
            }

            if (spec.VendorDomain != null)
            {
                text.WriteInt64(SuitLabels.TextVendorDomain);
                text.WriteTextString(spec.VendorDomain);
            }

            text.WriteInt64(SuitLabels.TextComponentVersion);
            text.WriteTextString(spec.Version);
        }

        /// <summary>SHA-256 of the bstr-wrapped text map: what a severed text's SUIT_Digest covers (manifest-37 8.4.4, 8.5).</summary>
        public static byte[] SeveredTextDigest(ISha256 sha, byte[] text)
        {
            return WrappedDigest(sha, text);
        }

        /// <summary>The encoded SUIT_Digest of the bstr-wrapped manifest: the COSE detached payload.</summary>
        public static byte[] ManifestDigest(ISha256 sha, byte[] manifest)
        {
            return SuitDigest.Encode(WrappedDigest(sha, manifest));
        }

        // SHA-256 over the item as an envelope member carries it: its byte-string header and contents
        // (manifest-37 8.3: what a SUIT_Digest of a member covers).
        private static byte[] WrappedDigest(ISha256 sha, byte[] item)
        {
            CborWriter wrapped = new CborWriter(item.Length + 9);
            wrapped.WriteByteString(item);
            byte[] w = wrapped.ToArray();
            byte[] digest = new byte[32];
            sha.Reset();
            sha.Update(w, 0, w.Length);
            sha.Finish(digest, 0);
            return digest;
        }

        /// <summary>The exact bytes an ES256 signer signs (it hashes them with SHA-256 itself).</summary>
        public static byte[] ToBeSigned(ISha256 sha, byte[] manifest)
        {
            byte[] payload = ManifestDigest(sha, manifest);
            return CoseSign1.BuildToBeSigned(CoseSign1.Es256ProtectedHeader(), payload, 0, payload.Length);
        }

        /// <summary>
        /// Everything before the payload bytes: 107({2: auth, 3: manifest, key: bstr header}). With a
        /// detached payload (payloadKey null) it is the whole envelope.
        /// </summary>
        public static byte[] BuildEnvelopeHeader(ISha256 sha, byte[] manifest, byte[] signature, string payloadKey, long payloadLength)
        {
            return BuildEnvelopeHeader(ManifestDigest(sha, manifest), manifest, signature, payloadKey, payloadLength, null);
        }

        /// <summary>The same with a severed text (envelope member 23, the text map bstr-wrapped), or null.</summary>
        public static byte[] BuildEnvelopeHeader(ISha256 sha, byte[] manifest, byte[] signature, string payloadKey, long payloadLength, byte[] severedText)
        {
            return BuildEnvelopeHeader(ManifestDigest(sha, manifest), manifest, signature, payloadKey, payloadLength, severedText);
        }

        public static byte[] BuildEnvelopeHeader(byte[] manifestDigest, byte[] manifest, byte[] signature, string payloadKey, long payloadLength)
        {
            return BuildEnvelopeHeader(manifestDigest, manifest, signature, payloadKey, payloadLength, null);
        }

        /// <summary>
        /// The same from the manifest's encoded SUIT_Digest. The signature is written in low-S form (a
        /// high s is replaced by n - s, which verifies the same), the only one readers accept.
        /// </summary>
        public static byte[] BuildEnvelopeHeader(byte[] manifestDigest, byte[] manifest, byte[] signature, string payloadKey, long payloadLength, byte[] severedText)
        {
            if (signature == null || signature.Length != CoseLabels.Es256SignatureLength)
            {
                throw new System.ArgumentException("an ES256 signature is 64 bytes (r || s)");
            }

            CborWriter auth = new CborWriter(160);
            auth.WriteArrayHeader(2);
            auth.WriteByteString(manifestDigest);
            auth.WriteByteString(CoseSign1.Encode(CoseSign1.Es256ProtectedHeader(), Es256Signature.ToLowS(signature)));

            CborWriter env = new CborWriter(manifest.Length + 256);
            env.WriteTag(SuitLabels.TagEnvelope);
            env.WriteMapHeader(2 + (payloadKey != null ? 1 : 0) + (severedText != null ? 1 : 0));
            env.WriteInt64(SuitLabels.EnvelopeAuthentication);
            env.WriteByteString(auth.ToArray());
            env.WriteInt64(SuitLabels.EnvelopeManifest);
            env.WriteByteString(manifest);
            if (severedText != null)
            {
                env.WriteInt64(SuitLabels.EnvelopeText);
                env.WriteByteString(severedText);
            }

            if (payloadKey != null)
            {
                env.WriteTextString(payloadKey);
                env.WriteByteStringHeader(payloadLength);
            }

            return env.ToArray();
        }

        private static void Validate(SuitManifestSpec spec)
        {
            if (spec.SequenceNumber < 0)
            {
                throw new System.ArgumentException("sequence number must not be negative");
            }

            if (spec.Component == null || spec.Component.Length == 0)
            {
                throw new System.ArgumentException("component name required");
            }

            if (spec.VendorId == null || spec.VendorId.Length != 16 || spec.ClassId == null || spec.ClassId.Length != 16)
            {
                throw new System.ArgumentException("vendor-id and class-id must be 16-byte UUIDs");
            }

            if (spec.ImageDigest == null || spec.ImageDigest.Length != 32 || spec.ImageSize < 0)
            {
                throw new System.ArgumentException("image digest (32 bytes) and size required");
            }

            if (spec.Version == null)
            {
                throw new System.ArgumentException("version string required");
            }

            if ((spec.PayloadKey == null) == (spec.DetachedUri == null))
            {
                throw new System.ArgumentException("either an integrated payload key or a detached URI");
            }

            if (spec.RequiresFirmware != null)
            {
                if (spec.Second != null || spec.Component != SuitPairBuilder.SecondComponent)
                {
                    throw new System.ArgumentException("only an application (\"" + SuitPairBuilder.SecondComponent + "\") data set can require a firmware version");
                }

                if (spec.RequiresFirmware.Length < 1 || spec.RequiresFirmware.Length > SuitProfile.MaxDependencyParts)
                {
                    throw new System.ArgumentException("a required firmware version has 1 to " + SuitProfile.MaxDependencyParts.ToString() + " parts");
                }

                for (int i = 0; i < spec.RequiresFirmware.Length; i++)
                {
                    if (spec.RequiresFirmware[i] < 0 || spec.RequiresFirmware[i] > 0x7FFFFFFF)
                    {
                        throw new System.ArgumentException("a required firmware version part is 0..2147483647");
                    }
                }
            }
        }
    }
}

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// The subset of SUIT this product installs (docs/data-set-format.md, "Profile"): one component;
    /// vendor-id, class-id, image-digest (SHA-256) and image-size set in the shared sequence, which
    /// checks vendor and class; validate checks the image; install fetches it. The draft's examples are
    /// valid SUIT but not all of them are installable by this profile.
    /// </summary>
    public static class SuitProfile
    {
        /// <summary>The longest uri the readers take, in bytes of UTF-8 (SuitCommandParser; the boot stage's BS_SUIT_MAX_URI).</summary>
        public const int MaxUriLength = 512;

        /// <summary>
        /// A detached payload's uri (docs/data-set-format.md, "Detached payloads"): absolute, http or https
        /// (RFC 3986 section 4.3; the device fetches it with the same resumable HTTP download as the data
        /// set), with a host, no whitespace or control characters, at most MaxUriLength bytes. A fragment-only
        /// uri ("#image") names an integrated payload, which a detached envelope does not carry.
        /// </summary>
        // One component, the target; or, encrypted, the target and the transient ciphertext component:
        // install fetches into component 1 and copies it into 0 with encryption-info (firmware-encryption-24
        // section 8, decryption in copy), so that a generic SUIT processor decrypts where the draft says.
        // A firmware dependency (1c) adds ["nanoclr"] as the last component, after which the rest is one of
        // the single-image shapes.
        private static SuitResult CheckComponents(SuitManifest m, SuitParameters target)
        {
            int dependency = m.DependencyIndex;
            if (dependency > 0)
            {
                SuitResult d = CheckDependency(m, m.Parameters[dependency]);
                if (!d.IsOk)
                {
                    return d;
                }
            }

            int images = dependency > 0 ? m.Components.Length - 1 : m.Components.Length;
            if (images == 1)
            {
                return target.EncryptionInfo == null ? SuitResult.Ok
                    : new SuitResult(SuitError.UnsupportedElement, -1, "an encrypted image is decrypted by a copy from the ciphertext component (two components); this data set decrypts on fetch (made by update-tool before the draft's pattern)");
            }

            if (m.IsPair)
            {
                return CheckPair(m);
            }

            if (images != 2 || target.EncryptionInfo == null)
            {
                return new SuitResult(SuitError.UnsupportedElement, -1, "one component (two for an encrypted image: the target and \"" + SuitBuilder.CiphertextComponent + "\") is supported, found " + m.Components.Length.ToString());
            }

            byte[][] second = m.Components[1];
            if (second.Length != 1 || Cbor.Utf8.Decode(second[0], 0, second[0].Length) != SuitBuilder.CiphertextComponent)
            {
                return new SuitResult(SuitError.UnsupportedElement, -1, "the second component of an encrypted data set must be [\"" + SuitBuilder.CiphertextComponent + "\"]");
            }

            SuitParameters ciphertext = m.Parameters[1];
            if (target.SourceComponent != SuitBuilder.CiphertextComponentIndex || ciphertext.EncryptionInfo != null || !m.Install.Contains(SuitLabels.DirectiveCopy))
            {
                return new SuitResult(SuitError.MissingField, -1, "an encrypted image must be fetched into component 1 and copied into component 0 with encryption-info and source-component 1");
            }

            return SuitResult.Ok;
        }

        // An application that needs a firmware at least this new (docs/data-set-format.md 1c): the shared
        // sequence selects ["nanoclr"], sets suit-parameter-version to [greater-equal, version] and checks
        // suit-condition-version; nothing installs that component. Version parts are what System.Version
        // holds on the device (0..2^31-1): the draft's negative pre-release parts are not the profile.
        private static SuitResult CheckDependency(SuitManifest m, SuitParameters dependency)
        {
            if (dependency.Version == null || dependency.VersionComparison != SuitLabels.VersionComparisonGreaterEqual || !m.SharedSequence.Contains(SuitLabels.ConditionVersion))
            {
                return new SuitResult(SuitError.MissingField, -1, "a firmware dependency sets suit-parameter-version [greater-equal, version] on [\"" + SuitPairBuilder.FirstComponent + "\"] and checks suit-condition-version");
            }

            if (dependency.Version.Length > MaxDependencyParts)
            {
                return new SuitResult(SuitError.UnsupportedElement, -1, "a firmware version has at most " + MaxDependencyParts.ToString() + " parts");
            }

            for (int i = 0; i < dependency.Version.Length; i++)
            {
                if (dependency.Version[i] < 0 || dependency.Version[i] > 0x7FFFFFFF)
                {
                    return new SuitResult(SuitError.UnsupportedElement, -1, "firmware version part " + dependency.Version[i].ToString() + " is outside 0..2147483647");
                }
            }

            return SuitResult.Ok;
        }

        /// <summary>Parts of a required firmware version: System.Version's major, minor, build, revision.</summary>
        public const int MaxDependencyParts = 4;

        // Firmware and application together (docs/data-set-format.md 1b): both plain, each with its own
        // vendor, class, digest and size (the shared sequence sets them per component index), each fetched
        // from its own detached uri.
        private static SuitResult CheckPair(SuitManifest m)
        {
            bool encrypted = m.Components.Length == 3;
            for (int i = 0; i < 2; i++)
            {
                SuitParameters p = m.Parameters[i];
                if ((p.EncryptionInfo != null) != encrypted || (encrypted && p.SourceComponent != SuitPairBuilder.CiphertextIndex))
                {
                    return new SuitResult(SuitError.MissingField, -1, "an encrypted image of a two-component data set is fetched into component 2 and copied into its target with encryption-info and source-component 2; a plain one has neither");
                }

                if (p.VendorId == null || p.ClassId == null || p.ImageDigest == null || p.ImageSize <= 0)
                {
                    return new SuitResult(SuitError.MissingField, -1, "component " + i.ToString() + " of a two-component data set lacks vendor-id, class-id, image-digest or image-size");
                }

                SuitResult uri = CheckDetachedUri(p.PayloadUri);
                if (!uri.IsOk)
                {
                    return uri;
                }
            }

            if (encrypted && (m.Parameters[2].EncryptionInfo != null || !m.Install.Contains(SuitLabels.DirectiveCopy)))
            {
                return new SuitResult(SuitError.MissingField, -1, "the ciphertext component of a two-component data set only receives the fetch");
            }

            if (!SuitDigest.AreEqual(m.Parameters[0].VendorId, m.Parameters[1].VendorId) || !SuitDigest.AreEqual(m.Parameters[0].ClassId, m.Parameters[1].ClassId))
            {
                return new SuitResult(SuitError.UnsupportedElement, -1, "both components of a data set are for one vendor and class");
            }

            return SuitResult.Ok;
        }

        public static SuitResult CheckDetachedUri(string uri)
        {
            if (uri == null)
            {
                return new SuitResult(SuitError.MissingField, -1, "no integrated payload and no uri to fetch it from");
            }

            int scheme = uri.IndexOf("https://") == 0 ? 8 : uri.IndexOf("http://") == 0 ? 7 : -1;
            if (scheme < 0)
            {
                return new SuitResult(SuitError.PayloadMisplaced, -1, "a detached payload's uri must be absolute http:// or https://, not \"" + uri + "\"");
            }

            if (uri.Length == scheme || uri[scheme] == '/' || uri[scheme] == '?' || uri[scheme] == '#')
            {
                return new SuitResult(SuitError.PayloadMisplaced, -1, "the payload uri names no host");
            }

            for (int i = 0; i < uri.Length; i++)
            {
                if (uri[i] <= ' ' || uri[i] == (char)0x7F)
                {
                    return new SuitResult(SuitError.PayloadMisplaced, -1, "the payload uri holds whitespace or a control character at " + i.ToString());
                }
            }

            if (Cbor.Utf8.Encode(uri).Length > MaxUriLength)
            {
                return new SuitResult(SuitError.PayloadMisplaced, -1, "the payload uri is longer than " + MaxUriLength.ToString() + " bytes");
            }

            return SuitResult.Ok;
        }

        public static SuitResult Check(SuitEnvelope envelope)
        {
            SuitManifest m = envelope.Manifest;
            if (m == null)
            {
                return new SuitResult(SuitError.MissingField, -1, "manifest not parsed");
            }

            SuitParameters p = m.Parameters[0];
            SuitResult shape = CheckComponents(m, p);
            if (!shape.IsOk)
            {
                return shape;
            }

            if (p.VendorId == null || p.ClassId == null)
            {
                return new SuitResult(SuitError.MissingField, -1, "vendor-id and class-id are required");
            }

            if (!m.SharedSequence.Contains(SuitLabels.ConditionVendorIdentifier) || !m.SharedSequence.Contains(SuitLabels.ConditionClassIdentifier))
            {
                return new SuitResult(SuitError.MissingField, -1, "the shared sequence must check vendor-id and class-id");
            }

            if (p.ImageDigest == null || p.ImageSize < 0)
            {
                return new SuitResult(SuitError.MissingField, -1, "image-digest and image-size are required");
            }

            if (!m.Validate.Contains(SuitLabels.ConditionImageMatch))
            {
                return new SuitResult(SuitError.MissingField, -1, "validate must check image-match");
            }

            if (!m.Install.Present || (m.Install.Severed && !m.Install.Parsed))
            {
                return new SuitResult(SuitError.MissingField, -1, "install sequence missing");
            }

            string uri = m.FetchParameters.Uri;
            if (m.IsPair && envelope.HasIntegratedPayload)
            {
                return new SuitResult(SuitError.PayloadMisplaced, -1, "the payloads of a two-component data set are detached");
            }

            if (envelope.HasIntegratedPayload)
            {
                if (uri != envelope.PayloadKey)
                {
                    return new SuitResult(SuitError.PayloadMisplaced, -1, "integrated payload \"" + envelope.PayloadKey + "\" is not the one the manifest fetches (" + uri + ")");
                }

                if (envelope.PayloadLength != p.ImageSize)
                {
                    return new SuitResult(SuitError.PayloadSizeMismatch, envelope.PayloadOffset, "payload is " + envelope.PayloadLength.ToString() + " bytes, image-size says " + p.ImageSize.ToString());
                }
            }
            else if (!m.IsPair) /* a pair's uris were checked with its components */
            {
                SuitResult detached = CheckDetachedUri(uri);
                if (!detached.IsOk)
                {
                    return detached;
                }
            }

            // Last, so a data set with a wrong value is refused for that value first.
            return SuitCanonical.Check(envelope);
        }
    }
}

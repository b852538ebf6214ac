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

            if (m.Components.Length != 1)
            {
                return new SuitResult(SuitError.UnsupportedElement, -1, "exactly one component per data set is supported, found " + m.Components.Length.ToString());
            }

            SuitParameters p = m.Parameters[0];
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

            if (envelope.HasIntegratedPayload)
            {
                if (p.Uri != envelope.PayloadKey)
                {
                    return new SuitResult(SuitError.PayloadMisplaced, -1, "integrated payload \"" + envelope.PayloadKey + "\" is not the one the manifest fetches (" + p.Uri + ")");
                }

                if (envelope.PayloadLength != p.ImageSize)
                {
                    return new SuitResult(SuitError.PayloadSizeMismatch, envelope.PayloadOffset, "payload is " + envelope.PayloadLength.ToString() + " bytes, image-size says " + p.ImageSize.ToString());
                }
            }
            else
            {
                SuitResult detached = CheckDetachedUri(p.Uri);
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

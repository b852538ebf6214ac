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
            else if (p.Uri == null)
            {
                return new SuitResult(SuitError.MissingField, -1, "no integrated payload and no uri to fetch it from");
            }

            // Last, so a data set with a wrong value is refused for that value first.
            return SuitCanonical.Check(envelope);
        }
    }
}

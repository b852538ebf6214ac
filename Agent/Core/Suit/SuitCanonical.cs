using SecureOta.Core.Cose;

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// The canonical-form rule (docs/data-set-format.md, "Canonical form"; issue 17, C1 and F1): an
    /// installable data set must be byte for byte what SuitBuilder writes for the values it carries, so
    /// readers accept exactly one encoding of each data set. The manifest is rebuilt from the parsed values
    /// and compared with the received one; then the envelope header (authentication wrapper with one
    /// COSE_Sign1, protected header {1: -7}, empty unprotected header, low-S signature; manifest; payload
    /// header) is rebuilt and compared. That refuses in one rule non-shortest arguments, indefinite
    /// lengths, counts that lie, reordered or extra members, unknown elements, nesting, kid headers, extra
    /// signatures and high-S signatures. The boot stage applies the same rule (Bootloader/src/bs_canon.c).
    /// Call it after SuitManifestParser (the profile check does, last).
    /// </summary>
    public static class SuitCanonical
    {
        public static SuitResult Check(SuitEnvelope envelope)
        {
            SuitManifest m = envelope.Manifest;
            if (m == null || m.Components == null || m.Components.Length < 1 || m.Components.Length > 3 || m.Components[0].Length != 1 || m.ComponentName == null)
            {
                return NotCanonical("the canonical form has one component with a one-part text name (and, encrypted, the ciphertext component)");
            }

            if (envelope.Signatures == null || envelope.Signatures.Length != 1)
            {
                return NotCanonical("the canonical form has exactly one signature");
            }

            byte[] signature = envelope.Signatures[0].Signature;
            if (!Es256Signature.IsLowS(signature))
            {
                return NotCanonical("the signature's s is above n/2 (high-S form)");
            }

            SuitParameters p = m.Parameters[0];
            SuitManifestSpec spec = new SuitManifestSpec();
            spec.SequenceNumber = m.SequenceNumber;
            spec.Component = m.ComponentName;
            spec.VendorId = p.VendorId;
            spec.ClassId = p.ClassId;
            spec.ImageDigest = p.ImageDigest;
            spec.ImageSize = p.ImageSize;
            spec.Version = m.TextVersion;
            spec.VendorDomain = m.TextVendorDomain;
            spec.ModelName = m.TextModelName;
            spec.EncryptionInfo = p.EncryptionInfo;
            spec.SeveredTextDigest = m.TextSevered ? m.TextDigest : null;
            spec.RequiresFirmware = m.RequiredFirmware;
            if (envelope.HasIntegratedPayload)
            {
                spec.PayloadKey = m.FetchParameters.Uri;
            }
            else
            {
                spec.PayloadKey = null; /* the spec's default names an integrated payload */
                spec.DetachedUri = m.FetchParameters.Uri;
            }

            if (m.IsPair)
            {
                SuitParameters second = m.Parameters[1];
                spec.DetachedUri = p.PayloadUri;
                spec.Second = new SuitImageSpec();
                spec.Second.Component = SuitPairBuilder.SecondComponent;
                spec.Second.ImageDigest = second.ImageDigest;
                spec.Second.ImageSize = second.ImageSize;
                spec.Second.DetachedUri = second.PayloadUri;
                spec.Second.EncryptionInfo = second.EncryptionInfo;
            }

            byte[] manifest;
            try
            {
                manifest = SuitBuilder.BuildManifest(spec);
            }
            catch (System.ArgumentException e)
            {
                return NotCanonical("the manifest lacks what the canonical form carries: " + e.Message);
            }

            if (!SameBytes(manifest, envelope.Buffer, envelope.ManifestOffset, envelope.ManifestLength))
            {
                return NotCanonical("the manifest is not the canonical encoding of its values");
            }

            // The digest (already checked against the manifest by SuitAuthenticator) encoded canonically:
            // a differently encoded SUIT_Digest then makes the header differ.
            // A severed text is part of the header (member 23): rebuilt from the values read from it, so
            // its encoding must be canonical too; its digest was checked by SuitManifestParser.
            byte[] header = SuitBuilder.BuildEnvelopeHeader(SuitDigest.Encode(envelope.AuthDigest), manifest, signature,
                envelope.HasIntegratedPayload ? envelope.PayloadKey : null, envelope.PayloadLength, m.TextSevered ? SuitBuilder.BuildText(spec) : null);
            if (!SameBytes(header, envelope.Buffer, 0, envelope.HeaderLength))
            {
                return NotCanonical("the envelope is not the canonical encoding of its manifest and signature");
            }

            return SuitResult.Ok;
        }

        private static bool SameBytes(byte[] expected, byte[] buffer, int offset, int length)
        {
            if (expected.Length != length || offset < 0 || length < 0 || offset > buffer.Length - length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                if (expected[i] != buffer[offset + i])
                {
                    return false;
                }
            }

            return true;
        }

        private static SuitResult NotCanonical(string message)
        {
            return new SuitResult(SuitError.NotCanonical, -1, "not the canonical form of a data set: " + message);
        }
    }
}

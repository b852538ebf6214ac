namespace SecureOta.Core.Suit
{
    /// <summary>
    /// Why a data set was refused. The values are stable: the agent reports them to the server and
    /// update-tool turns them into exit codes (10 + value).
    /// </summary>
    public enum SuitError
    {
        None = 0,

        /// <summary>The bytes end before the structure does (a truncated file or header).</summary>
        Truncated = 1,

        /// <summary>Not well-formed CBOR, or a CBOR type other than the one the format requires.</summary>
        Malformed = 2,

        /// <summary>Not a SUIT envelope (tag 107 map).</summary>
        NotAnEnvelope = 3,

        /// <summary>Everything before the payload is larger than the 4 KiB the device buffers.</summary>
        HeaderTooLarge = 4,

        /// <summary>A member, command or parameter this processor does not know, where ignoring it would be unsafe.</summary>
        UnsupportedElement = 5,

        /// <summary>A digest or signature algorithm other than SHA-256 / ES256.</summary>
        UnsupportedAlgorithm = 6,

        /// <summary>The SUIT_Digest in the authentication wrapper does not match the manifest.</summary>
        ManifestDigestMismatch = 7,

        /// <summary>No signature verifies with the trusted key.</summary>
        BadSignature = 8,

        /// <summary>A severed member (install, text) does not match its digest in the manifest.</summary>
        SeveredMemberMismatch = 9,

        /// <summary>A field the profile requires is absent.</summary>
        MissingField = 10,

        /// <summary>The integrated payload is not the envelope's last member, or bytes follow it.</summary>
        PayloadMisplaced = 11,

        /// <summary>The vendor-id condition does not match this device.</summary>
        WrongVendor = 12,

        /// <summary>The class-id condition does not match this device.</summary>
        WrongClass = 13,

        /// <summary>The component is not one this device accepts.</summary>
        WrongComponent = 14,

        /// <summary>The sequence number is not newer than the installed one (anti-rollback).</summary>
        RollbackAttempt = 15,

        /// <summary>The image is larger than the target or the configured limit.</summary>
        ImageTooLarge = 16,

        /// <summary>The payload's SHA-256 is not the image-digest of the manifest.</summary>
        PayloadDigestMismatch = 17,

        /// <summary>The payload's length is not the image-size of the manifest.</summary>
        PayloadSizeMismatch = 18,

        /// <summary>The encryption info is invalid, or the content key does not unwrap.</summary>
        DecryptionFailed = 19,

        /// <summary>The manifest version is not 1.</summary>
        UnsupportedVersion = 20,

        /// <summary>
        /// Not the canonical encoding of what it says (docs/data-set-format.md, "Canonical form"): a
        /// non-shortest argument, an indefinite length, a member, order or signature form the profile's
        /// builder never writes. Readers accept one encoding per data set, so its digest names it.
        /// </summary>
        NotCanonical = 21,

        /// <summary>
        /// The data set needs a newer firmware than the device runs (its firmware dependency,
        /// docs/data-set-format.md 1c): install the firmware first.
        /// </summary>
        FirmwareTooOld = 22,
    }
}

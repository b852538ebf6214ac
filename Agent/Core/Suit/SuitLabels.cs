namespace SecureOta.Core.Suit
{
    /// <summary>
    /// Map keys, command and parameter identifiers of draft-ietf-suit-manifest-37 ("CDDL" appendix and
    /// IANA considerations), plus suit-parameter-encryption-info from
    /// draft-ietf-suit-firmware-encryption-24 (value 19, as implementations use it).
    /// </summary>
    public static class SuitLabels
    {
        /// <summary>SUIT_Envelope_Tagged = #6.107(SUIT_Envelope) (manifest-37, 8.2).</summary>
        public const ulong TagEnvelope = 107;

        // SUIT_Envelope members (manifest-37, 8.2, 8.3, 8.4.11, 8.5).
        public const int EnvelopeAuthentication = 2;
        public const int EnvelopeManifest = 3;
        public const int EnvelopePayloadFetch = 16;
        public const int EnvelopeInstall = 20;
        public const int EnvelopeText = 23;

        // SUIT_Manifest members (manifest-37, 8.4).
        public const int ManifestVersion = 1;
        public const int ManifestSequenceNumber = 2;
        public const int ManifestCommon = 3;
        public const int ManifestReferenceUri = 4;
        public const int ManifestValidate = 7;
        public const int ManifestLoad = 8;
        public const int ManifestInvoke = 9;
        public const int ManifestPayloadFetch = 16;
        public const int ManifestInstall = 20;
        public const int ManifestText = 23;

        /// <summary>The only manifest version (manifest-37, 8.4.1).</summary>
        public const int ManifestVersionValue = 1;

        // SUIT_Common members (manifest-37, 8.4.5).
        public const int CommonComponents = 2;
        public const int CommonSharedSequence = 4;

        // Conditions (manifest-37, 8.4.9).
        public const int ConditionVendorIdentifier = 1;
        public const int ConditionClassIdentifier = 2;
        public const int ConditionImageMatch = 3;
        public const int ConditionComponentSlot = 5;
        public const int ConditionCheckContent = 6;
        public const int ConditionAbort = 14;
        public const int ConditionDeviceIdentifier = 24;

        /// <summary>
        /// suit-condition-version (draft-ietf-suit-update-management, "suit-condition-version"; value 28,
        /// as libcsuit's suit_manifest_data.h and its Example 2): the current component's installed version
        /// compared with suit-parameter-version. This profile uses it for a firmware dependency (docs/data-set-format.md 1c).
        /// </summary>
        public const int ConditionVersion = 28;

        // Directives (manifest-37, 8.4.10).
        public const int DirectiveSetComponentIndex = 12;
        public const int DirectiveTryEach = 15;
        public const int DirectiveWrite = 18;
        public const int DirectiveOverrideParameters = 20;
        public const int DirectiveFetch = 21;
        public const int DirectiveCopy = 22;
        public const int DirectiveInvoke = 23;
        public const int DirectiveSwap = 31;
        public const int DirectiveRunSequence = 32;

        // Parameters (manifest-37, 8.4.8).
        public const int ParameterVendorIdentifier = 1;
        public const int ParameterClassIdentifier = 2;
        public const int ParameterImageDigest = 3;
        public const int ParameterComponentSlot = 5;
        public const int ParameterStrictOrder = 12;
        public const int ParameterSoftFailure = 13;
        public const int ParameterImageSize = 14;
        public const int ParameterContent = 18;
        public const int ParameterEncryptionInfo = 19;
        public const int ParameterUri = 21;
        public const int ParameterSourceComponent = 22;
        public const int ParameterInvokeArgs = 23;
        public const int ParameterDeviceIdentifier = 24;
        public const int ParameterFetchArguments = 25;

        /// <summary>
        /// suit-parameter-version (update-management, value 28): bstr-wrapped SUIT_Parameter_Version_Match =
        /// [comparison-type, SUIT_Condition_Version_Comparison_Value = [+ int]].
        /// </summary>
        public const int ParameterVersion = 28;

        // SUIT_Condition_Version_Comparison_Types (update-management): greater 1, greater-equal 2, equal 3,
        // lesser-equal 4, lesser 5. The profile writes greater-equal only ("at least this firmware").
        public const int VersionComparisonGreater = 1;
        public const int VersionComparisonGreaterEqual = 2;
        public const int VersionComparisonLesser = 5;

        /// <summary>SUIT_Digest algorithm SHA-256 (COSE alg -16; manifest-37, 8.3.1).</summary>
        public const int DigestSha256 = -16;

        // SUIT_Text_Map (manifest-37, 8.4.4) = { + tag38-ltag => SUIT_Text_LMap }: a language tag (RFC 9290's
        // tag38-ltag: a BCP 47 tag as a text string) to the language's text. The builder writes this one;
        // a reader picks it, else the first "en..." tag, else the first one.
        public const string TextLanguage = "en";

        // SUIT_Text_LMap keys (manifest-37, 8.4.4): per component, and manifest-wide.
        public const int TextVendorName = 1;
        public const int TextModelName = 2;
        public const int TextVendorDomain = 3;
        public const int TextModelInfo = 4;
        public const int TextComponentDescription = 5;
        public const int TextComponentVersion = 6;
        public const int TextVersionRequired = 7;

        /// <summary>Reporting policy "send record on success and failure, sysinfo on both" = 15.</summary>
        public const int ReportAll = 15;
    }
}

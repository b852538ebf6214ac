using System.Collections;
using SecureOta.Core.Cbor;

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// Walks a SUIT_Command_Sequence (manifest-37, 8.4.6): checks every command and argument against the
    /// command it belongs to, applies parameters set outside try-each to the component(s) selected by
    /// set-component-index, and records the top-level command identifiers. Unknown commands and
    /// parameters are refused (a processor must not skip what it does not understand); custom
    /// (negative) commands and parameters are skipped as their definition allows.
    /// </summary>
    public sealed class SuitCommandParser
    {
        /// <summary>Nesting bound for try-each and run-sequence.</summary>
        public const int MaxNesting = 4;

        private readonly SuitParameters[] _parameters;
        private bool[] _selected;

        public SuitCommandParser(SuitParameters[] parameters)
        {
            _parameters = parameters;
            SelectFirst();
        }

        private void SelectFirst()
        {
            _selected = new bool[_parameters.Length];
            if (_parameters.Length > 0)
            {
                _selected[0] = true;
            }
        }

        /// <summary>
        /// Parses the sequence in buffer[offset..offset+length); returns its top-level command ids. Every
        /// sequence starts with component 0 selected (as the boot stage's walk_sequence): the shared
        /// sequence selecting a dependency's component does not carry into validate or install.
        /// </summary>
        public int[] Parse(byte[] buffer, int offset, int length)
        {
            SelectFirst();
            return ParseSequence(buffer, offset, length, 0, true);
        }

        private int[] ParseSequence(byte[] buffer, int offset, int length, int depth, bool apply)
        {
            if (depth > MaxNesting)
            {
                throw new SuitException(SuitError.UnsupportedElement, offset, "command sequences nested deeper than " + MaxNesting.ToString());
            }

            CborReader r = new CborReader(buffer, offset, length);
            int items = r.ReadArrayHeader();
            if (items % 2 != 0)
            {
                throw new SuitException(SuitError.Malformed, offset, "command sequence must hold command/argument pairs");
            }

            ArrayList ids = new ArrayList();
            for (int i = 0; i < items; i += 2)
            {
                int at = r.Position;
                int command = r.ReadInt32();
                ids.Add(command);
                ParseArgument(r, command, at, depth, apply);
            }

            if (!r.AtEnd)
            {
                throw new SuitException(SuitError.Malformed, r.Position, "trailing bytes after command sequence");
            }

            int[] result = new int[ids.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (int)ids[i];
            }

            return result;
        }

        private void ParseArgument(CborReader r, int command, int at, int depth, bool apply)
        {
            if (command < 0)
            {
                r.SkipItem();
                return;
            }

            switch (command)
            {
                case SuitLabels.ConditionVendorIdentifier:
                case SuitLabels.ConditionClassIdentifier:
                case SuitLabels.ConditionImageMatch:
                case SuitLabels.ConditionComponentSlot:
                case SuitLabels.ConditionCheckContent:
                case SuitLabels.ConditionAbort:
                case SuitLabels.ConditionDeviceIdentifier:
                case SuitLabels.ConditionVersion:
                case SuitLabels.DirectiveCopy:
                    r.ReadUInt64(); // SUIT_Rep_Policy
                    if (apply)
                    {
                        RecordCopySources();
                    }

                    return;
                case SuitLabels.DirectiveWrite:
                case SuitLabels.DirectiveFetch:
                case SuitLabels.DirectiveInvoke:
                case SuitLabels.DirectiveSwap:
                    r.ReadUInt64(); // SUIT_Rep_Policy
                    return;
                case SuitLabels.DirectiveSetComponentIndex:
                    ParseComponentIndex(r, at, apply);
                    return;
                case SuitLabels.DirectiveOverrideParameters:
                case 19: // suit-directive-set-parameters of earlier drafts: same argument
                    ParseParameters(r, apply);
                    return;
                case SuitLabels.DirectiveTryEach:
                    {
                        int arms = r.ReadArrayHeader();
                        for (int i = 0; i < arms; i++)
                        {
                            if (r.PeekIsNull())
                            {
                                r.ReadNull();
                                continue;
                            }

                            int armLength;
                            int arm = r.ReadByteString(out armLength);
                            // Alternatives: checked for structure, but their parameters are conditional.
                            ParseSequence(r.Buffer, arm, armLength, depth + 1, false);
                        }

                        return;
                    }

                case SuitLabels.DirectiveRunSequence:
                    {
                        int seqLength;
                        int seq = r.ReadByteString(out seqLength);
                        ParseSequence(r.Buffer, seq, seqLength, depth + 1, false);
                        return;
                    }

                default:
                    throw new SuitException(SuitError.UnsupportedElement, at, "unknown SUIT command " + command.ToString());
            }
        }

        private void ParseComponentIndex(CborReader r, int at, bool apply)
        {
            int major = r.PeekMajorType();
            bool[] selected = new bool[_parameters.Length];
            if (major == CborType.Simple)
            {
                bool all = r.ReadBoolean();
                for (int i = 0; i < selected.Length; i++)
                {
                    selected[i] = all;
                }
            }
            else if (major == CborType.Array)
            {
                int count = r.ReadArrayHeader();
                for (int i = 0; i < count; i++)
                {
                    Select(selected, r.ReadUInt64(), at);
                }
            }
            else
            {
                Select(selected, r.ReadUInt64(), at);
            }

            if (apply)
            {
                _selected = selected;
            }
        }

        private void Select(bool[] selected, ulong index, int at)
        {
            if (index >= (ulong)selected.Length)
            {
                throw new SuitException(SuitError.Malformed, at, "component index " + index.ToString() + " out of range");
            }

            selected[(int)index] = true;
        }

        private void ParseParameters(CborReader r, bool apply)
        {
            int pairs = r.ReadMapHeader();
            for (int i = 0; i < pairs; i++)
            {
                int at = r.Position;
                int key = r.ReadInt32();
                SuitParameters p = new SuitParameters();
                if (key < 0)
                {
                    r.SkipItem();
                    continue;
                }

                switch (key)
                {
                    case SuitLabels.ParameterVendorIdentifier:
                        if (r.PeekMajorType() == CborType.Tag)
                        {
                            r.ReadTag(); // CBOR PEN (tag 112): kept as its bytes
                        }

                        p.VendorId = r.ReadByteStringCopy(64);
                        break;
                    case SuitLabels.ParameterClassIdentifier:
                        p.ClassId = ReadUuid(r, at, "class-id");
                        break;
                    case SuitLabels.ParameterDeviceIdentifier:
                        p.DeviceId = ReadUuid(r, at, "device-id");
                        break;
                    case SuitLabels.ParameterImageDigest:
                        {
                            int length;
                            int offset = r.ReadByteString(out length);
                            int alg;
                            p.ImageDigest = SuitDigest.Read(r.Buffer, offset, length, out alg);
                            p.ImageDigestAlgorithm = alg;
                            break;
                        }

                    case SuitLabels.ParameterImageSize:
                        {
                            ulong size = r.ReadUInt64();
                            if (size > 0x7FFFFFFFUL)
                            {
                                throw new SuitException(SuitError.ImageTooLarge, at, "image-size " + size.ToString() + " is absurd");
                            }

                            p.ImageSize = (long)size;
                            break;
                        }

                    case SuitLabels.ParameterComponentSlot:
                        p.ComponentSlot = (long)r.ReadUInt64();
                        break;
                    case SuitLabels.ParameterSourceComponent:
                        p.SourceComponent = (long)r.ReadUInt64();
                        break;
                    case SuitLabels.ParameterStrictOrder:
                    case SuitLabels.ParameterSoftFailure:
                        r.ReadBoolean();
                        break;
                    case SuitLabels.ParameterUri:
                        p.Uri = r.ReadTextString(512);
                        break;
                    case SuitLabels.ParameterEncryptionInfo:
                        p.EncryptionInfo = r.ReadByteStringCopy(1024);
                        break;
                    case SuitLabels.ParameterContent:
                        p.Content = r.ReadByteStringCopy(4096);
                        break;
                    case SuitLabels.ParameterVersion:
                        ReadVersionMatch(r, at, p);
                        break;
                    case SuitLabels.ParameterInvokeArgs:
                    case SuitLabels.ParameterFetchArguments:
                        r.ReadByteStringCopy(4096);
                        break;
                    default:
                        throw new SuitException(SuitError.UnsupportedElement, at, "unknown SUIT parameter " + key.ToString());
                }

                if (apply)
                {
                    Merge(p);
                }
            }
        }

        /// <summary>Parts a SUIT_Condition_Version_Comparison_Value may have here (System.Version has four).</summary>
        public const int MaxVersionParts = 8;

        // bstr .cbor [comparison-type (1..5), [+ int]] (update-management, suit-parameter-version). Negative
        // parts are the draft's pre-release markers; they are read as they are.
        private static void ReadVersionMatch(CborReader outer, int at, SuitParameters p)
        {
            int length;
            int offset = outer.ReadByteString(out length);
            CborReader r = new CborReader(outer.Buffer, offset, length);
            if (r.ReadArrayHeader() != 2)
            {
                throw new SuitException(SuitError.Malformed, at, "suit-parameter-version must be [comparison-type, [+ int]]");
            }

            ulong comparison = r.ReadUInt64();
            if (comparison < SuitLabels.VersionComparisonGreater || comparison > SuitLabels.VersionComparisonLesser)
            {
                throw new SuitException(SuitError.UnsupportedElement, at, "unknown version comparison type " + comparison.ToString());
            }

            int parts = r.ReadArrayHeader();
            if (parts < 1 || parts > MaxVersionParts)
            {
                throw new SuitException(SuitError.UnsupportedElement, at, "a version of 1 to " + MaxVersionParts.ToString() + " parts expected, found " + parts.ToString());
            }

            long[] version = new long[parts];
            for (int i = 0; i < parts; i++)
            {
                version[i] = r.ReadInt64();
            }

            if (!r.AtEnd)
            {
                throw new SuitException(SuitError.Malformed, at, "trailing bytes in suit-parameter-version");
            }

            p.VersionComparison = (int)comparison;
            p.Version = version;
        }

        private void Merge(SuitParameters p)
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                if (!_selected[i])
                {
                    continue;
                }

                SuitParameters t = _parameters[i];
                if (p.VendorId != null) t.VendorId = p.VendorId;
                if (p.ClassId != null) t.ClassId = p.ClassId;
                if (p.DeviceId != null) t.DeviceId = p.DeviceId;
                if (p.ImageDigest != null)
                {
                    t.ImageDigest = p.ImageDigest;
                    t.ImageDigestAlgorithm = p.ImageDigestAlgorithm;
                }

                if (p.ImageSize >= 0) t.ImageSize = p.ImageSize;
                if (p.Version != null)
                {
                    t.Version = p.Version;
                    t.VersionComparison = p.VersionComparison;
                }

                if (p.ComponentSlot >= 0) t.ComponentSlot = p.ComponentSlot;
                if (p.SourceComponent >= 0) t.SourceComponent = p.SourceComponent;
                if (p.Uri != null) t.Uri = p.Uri;
                if (p.EncryptionInfo != null) t.EncryptionInfo = p.EncryptionInfo;
                if (p.Content != null) t.Content = p.Content;
            }
        }

        // directive-copy: each selected component now holds what its source component held, so it
        // remembers the uri that was fetched into the source (SuitParameters.CopiedFromUri).
        private void RecordCopySources()
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                SuitParameters t = _parameters[i];
                if (_selected[i] && t.SourceComponent >= 0 && t.SourceComponent < _parameters.Length && t.SourceComponent != i)
                {
                    t.CopiedFromUri = _parameters[(int)t.SourceComponent].Uri;
                }
            }
        }

        private static byte[] ReadUuid(CborReader r, int at, string name)
        {
            byte[] uuid = r.ReadByteStringCopy(16);
            if (uuid.Length != 16)
            {
                throw new SuitException(SuitError.Malformed, at, name + " must be a 16-byte UUID");
            }

            return uuid;
        }
    }
}

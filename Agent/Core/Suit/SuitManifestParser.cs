using SecureOta.Core.Cbor;
using SecureOta.Core.Crypto;

namespace SecureOta.Core.Suit
{
    /// <summary>
    /// Parses the SUIT_Manifest (manifest-37, 8.4) of an envelope whose boundaries SuitEnvelopeReader
    /// found. Call it after SuitAuthenticator succeeded; update-tool's inspect also calls it on an
    /// unverified envelope and says so. Severed members are checked against their digests here.
    /// </summary>
    public static class SuitManifestParser
    {
        /// <summary>Components a manifest may name (our device has two targets; the draft's examples two at most).</summary>
        public const int MaxComponents = 8;

        public static SuitResult Parse(SuitEnvelope envelope, ISha256 sha)
        {
            try
            {
                envelope.Manifest = ParseManifest(envelope, sha);
                return SuitResult.Ok;
            }
            catch (CborException e)
            {
                return new SuitResult(e.Error == CborError.Truncated ? SuitError.Truncated : SuitError.Malformed, e.Offset, "malformed manifest: " + e.Message);
            }
            catch (SuitException e)
            {
                return new SuitResult(e.Error, e.Offset, e.Message);
            }
            catch (SecureOta.Core.Cose.CoseException e)
            {
                return new SuitResult(SuitError.DecryptionFailed, e.Offset, e.Message);
            }
        }

        private static SuitManifest ParseManifest(SuitEnvelope env, ISha256 sha)
        {
            byte[] b = env.Buffer;
            CborReader r = new CborReader(b, env.ManifestOffset, env.ManifestLength);
            SuitManifest m = new SuitManifest();
            int pairs = r.ReadMapHeader();
            SuitCommandParser commands = null;
            long lastKey = -1;
            bool haveVersion = false, haveSequence = false;
            for (int i = 0; i < pairs; i++)
            {
                int at = r.Position;
                long key = r.ReadInt64();
                if (key <= lastKey)
                {
                    throw new SuitException(SuitError.Malformed, at, "manifest members out of order");
                }

                lastKey = key;
                switch ((int)key)
                {
                    case SuitLabels.ManifestVersion:
                        m.Version = r.ReadInt32();
                        if (m.Version != SuitLabels.ManifestVersionValue)
                        {
                            throw new SuitException(SuitError.UnsupportedVersion, at, "manifest version " + m.Version.ToString() + " (only 1 is defined)");
                        }

                        haveVersion = true;
                        break;
                    case SuitLabels.ManifestSequenceNumber:
                        {
                            ulong seq = r.ReadUInt64();
                            if (seq > 0x7FFFFFFFFFFFFFFFUL)
                            {
                                throw new SuitException(SuitError.Malformed, at, "sequence number out of range");
                            }

                            m.SequenceNumber = (long)seq;
                            haveSequence = true;
                            break;
                        }

                    case SuitLabels.ManifestCommon:
                        commands = ParseCommon(r, m);
                        break;
                    case SuitLabels.ManifestReferenceUri:
                        m.ReferenceUri = r.ReadTextString(512);
                        break;
                    case SuitLabels.ManifestValidate:
                        ParseInlineSequence(r, m.Validate, Require(commands, at));
                        break;
                    case SuitLabels.ManifestLoad:
                        ParseInlineSequence(r, m.Load, Require(commands, at));
                        break;
                    case SuitLabels.ManifestInvoke:
                        ParseInlineSequence(r, m.Invoke, Require(commands, at));
                        break;
                    case SuitLabels.ManifestPayloadFetch:
                        ParseSeverable(r, m.PayloadFetch, Require(commands, at), env.SeveredPayloadFetchWrappedOffset, env.SeveredPayloadFetchWrappedLength, b, sha);
                        break;
                    case SuitLabels.ManifestInstall:
                        ParseSeverable(r, m.Install, Require(commands, at), env.SeveredInstallWrappedOffset, env.SeveredInstallWrappedLength, b, sha);
                        break;
                    case SuitLabels.ManifestText:
                        ParseText(r, m, env, sha);
                        break;
                    default:
                        throw new SuitException(SuitError.UnsupportedElement, at, "unknown manifest member " + key.ToString());
                }
            }

            if (!r.AtEnd)
            {
                throw new SuitException(SuitError.Malformed, r.Position, "trailing bytes after the manifest");
            }

            if (!haveVersion || !haveSequence || commands == null)
            {
                throw new SuitException(SuitError.MissingField, env.ManifestOffset, "manifest lacks version, sequence number or common");
            }

            // A severed member delivered in the envelope without its digest in the manifest is unauthenticated.
            if ((env.SeveredInstallWrappedOffset >= 0 && !m.Install.Severed)
                || (env.SeveredTextWrappedOffset >= 0 && !m.TextSevered)
                || (env.SeveredPayloadFetchWrappedOffset >= 0 && !m.PayloadFetch.Severed))
            {
                throw new SuitException(SuitError.SeveredMemberMismatch, env.ManifestOffset, "envelope carries a severed member the manifest does not list");
            }

            return m;
        }

        private static SuitCommandParser Require(SuitCommandParser commands, int at)
        {
            if (commands == null)
            {
                throw new SuitException(SuitError.MissingField, at, "command sequence before common (components unknown)");
            }

            return commands;
        }

        // SUIT_Common = { ? components => [+ [* bstr]], ? shared-sequence => bstr .cbor SUIT_Shared_Sequence }
        private static SuitCommandParser ParseCommon(CborReader outer, SuitManifest m)
        {
            int length;
            int offset = outer.ReadByteString(out length);
            CborReader r = new CborReader(outer.Buffer, offset, length);
            int pairs = r.ReadMapHeader();
            int sharedOffset = -1, sharedLength = 0;
            for (int i = 0; i < pairs; i++)
            {
                int at = r.Position;
                int key = r.ReadInt32();
                if (key == SuitLabels.CommonComponents)
                {
                    int count = r.ReadArrayHeader();
                    if (count == 0 || count > MaxComponents)
                    {
                        throw new SuitException(SuitError.UnsupportedElement, at, "between 1 and " + MaxComponents.ToString() + " components expected");
                    }

                    m.Components = new byte[count][][];
                    for (int c = 0; c < count; c++)
                    {
                        int parts = r.ReadArrayHeader();
                        m.Components[c] = new byte[parts][];
                        for (int p = 0; p < parts; p++)
                        {
                            m.Components[c][p] = r.ReadByteStringCopy(256);
                        }
                    }
                }
                else if (key == SuitLabels.CommonSharedSequence)
                {
                    sharedOffset = r.ReadByteString(out sharedLength);
                }
                else
                {
                    throw new SuitException(SuitError.UnsupportedElement, at, "unknown common member " + key.ToString() + " (dependencies are not supported)");
                }
            }

            if (m.Components == null)
            {
                throw new SuitException(SuitError.MissingField, offset, "common lacks components");
            }

            m.Parameters = new SuitParameters[m.Components.Length];
            for (int c = 0; c < m.Parameters.Length; c++)
            {
                m.Parameters[c] = new SuitParameters();
            }

            SuitCommandParser commands = new SuitCommandParser(m.Parameters);
            if (sharedOffset >= 0)
            {
                m.SharedSequence.Present = true;
                m.SharedSequence.Commands = commands.Parse(outer.Buffer, sharedOffset, sharedLength);
                m.SharedSequence.Parsed = true;
            }

            return commands;
        }

        private static void ParseInlineSequence(CborReader r, SuitSequence sequence, SuitCommandParser commands)
        {
            int length;
            int offset = r.ReadByteString(out length);
            sequence.Present = true;
            sequence.Commands = commands.Parse(r.Buffer, offset, length);
            sequence.Parsed = true;
        }

        // Severable members are either bstr .cbor SUIT_Command_Sequence, or the SUIT_Digest of the
        // member that then travels in the envelope (manifest-37, 8.4.11).
        private static void ParseSeverable(CborReader r, SuitSequence sequence, SuitCommandParser commands,
            int wrappedOffset, int wrappedLength, byte[] buffer, ISha256 sha)
        {
            if (r.PeekMajorType() == CborType.ByteString)
            {
                ParseInlineSequence(r, sequence, commands);
                return;
            }

            int alg;
            int at = r.Position;
            sequence.Present = true;
            sequence.Severed = true;
            sequence.SeveredDigest = SuitDigest.ReadFrom(r, out alg);
            if (wrappedOffset < 0)
            {
                return; // severed and not delivered: known by digest only
            }

            CheckSevered(buffer, wrappedOffset, wrappedLength, sequence.SeveredDigest, sha, at, sequence.Name);
            CborReader member = new CborReader(buffer, wrappedOffset, wrappedLength);
            int length;
            int offset = member.ReadByteString(out length);
            sequence.Commands = commands.Parse(buffer, offset, length);
            sequence.Parsed = true;
        }

        private static void ParseText(CborReader r, SuitManifest m, SuitEnvelope env, ISha256 sha)
        {
            int at = r.Position;
            if (r.PeekMajorType() == CborType.ByteString)
            {
                int length;
                int offset = r.ReadByteString(out length);
                ReadTextMap(r.Buffer, offset, length, m);
                return;
            }

            int alg;
            byte[] digest = SuitDigest.ReadFrom(r, out alg);
            m.TextSevered = true;
            m.TextDigest = digest;
            if (env.SeveredTextWrappedOffset < 0)
            {
                return;
            }

            CheckSevered(env.Buffer, env.SeveredTextWrappedOffset, env.SeveredTextWrappedLength, digest, sha, at, "text");
            CborReader member = new CborReader(env.Buffer, env.SeveredTextWrappedOffset, env.SeveredTextWrappedLength);
            int contentLength;
            int content = member.ReadByteString(out contentLength);
            ReadTextMap(env.Buffer, content, contentLength, m);
        }

        // SUIT_Text_Map = { + tag38-ltag => SUIT_Text_LMap } (manifest-37, 8.4.4): one language's text is read,
        // SuitLabels.TextLanguage if present, else the first tag starting "en", else the first one.
        // SUIT_Text_LMap = { * SUIT_Component_Identifier => { * int => tstr }, * int => tstr }.
        private static void ReadTextMap(byte[] buffer, int offset, int length, SuitManifest m)
        {
            CborReader r = new CborReader(buffer, offset, length);
            int languages = r.ReadMapHeader();
            int chosen = -1, chosenRank = 3;
            for (int i = 0; i < languages; i++)
            {
                int at = r.Position;
                if (r.PeekMajorType() != CborType.TextString)
                {
                    throw new SuitException(SuitError.Malformed, at, "text: a language tag (text string) expected at the top of SUIT_Text_Map");
                }

                string tag = r.ReadTextString(64);
                int rank = tag == SuitLabels.TextLanguage ? 0 : StartsWithEn(tag) ? 1 : 2;
                if (rank < chosenRank)
                {
                    chosenRank = rank;
                    chosen = r.Position;
                }

                r.SkipItem();
            }

            m.HasText = true;
            if (chosen >= 0)
            {
                CborReader lmap = new CborReader(buffer, chosen, offset + length - chosen);
                ReadLanguageMap(lmap, m);
            }
        }

        private static bool StartsWithEn(string tag)
        {
            char[] c = tag.ToCharArray(); // not the string indexer (nanoCLR, issue 11); tags are ASCII anyway
            return c.Length >= 2 && (c[0] == 'e' || c[0] == 'E') && (c[1] == 'n' || c[1] == 'N') && (c.Length == 2 || c[2] == '-');
        }

        private static void ReadLanguageMap(CborReader r, SuitManifest m)
        {
            int pairs = r.ReadMapHeader();
            bool first = true;
            for (int i = 0; i < pairs; i++)
            {
                if (r.PeekMajorType() != CborType.Array)
                {
                    r.SkipItem(); // manifest-wide text key
                    r.SkipItem();
                    continue;
                }

                r.SkipItem(); // component identifier
                int fields = r.ReadMapHeader();
                for (int f = 0; f < fields; f++)
                {
                    int key = r.ReadInt32();
                    if (r.PeekMajorType() != CborType.TextString)
                    {
                        r.SkipItem();
                        continue;
                    }

                    string value = r.ReadTextString(256);
                    if (!first)
                    {
                        continue;
                    }

                    if (key == SuitLabels.TextComponentVersion)
                    {
                        m.TextVersion = value;
                    }
                    else if (key == SuitLabels.TextVendorDomain)
                    {
                        m.TextVendorDomain = value;
                    }
                    else if (key == SuitLabels.TextModelName)
                    {
                        m.TextModelName = value;
                    }
                }

                first = false;
            }
        }

        private static void CheckSevered(byte[] buffer, int offset, int length, byte[] expected, ISha256 sha, int at, string name)
        {
            byte[] actual = new byte[32];
            sha.Reset();
            sha.Update(buffer, offset, length);
            sha.Finish(actual, 0);
            if (!SuitDigest.AreEqual(actual, expected))
            {
                throw new SuitException(SuitError.SeveredMemberMismatch, offset, "severed " + name + " member does not match its digest in the manifest");
            }
        }
    }
}

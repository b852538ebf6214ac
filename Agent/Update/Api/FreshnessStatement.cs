using SecureOta.Core.Cbor;

namespace SecureOta.Agent.Update.Api
{
    /// <summary>
    /// The update channel's freshness statement (docs/device-api.md section 3a, issue 18): what the server
    /// signs into every check-in answer so a board can tell a live channel from a withheld one (TUF's
    /// timestamp role; RFC 9124 section 4.3, THREAT.IMG.EXPIRED.OFFLINE). A deterministic CBOR map
    /// (RFC 8949 section 4.2.1: keys in ascending order, shortest forms):
    /// { 1: the board's own nonce (bstr, 32 bytes, from the chip's random generator),
    ///   2: the board's id (tstr),
    ///   3: the newest sequence number the server has released for the board's class (uint),
    ///   4: the server's time (uint, seconds since 1970-01-01 UTC) }.
    /// It travels as the detached payload of a COSE_Sign1 (ES256, the data sets' codec, CoseSign1.cs),
    /// signed with the server's channel key, whose certificate the factory puts into the chip's second
    /// trust anchor object (0xE0E8); the chip verifies it.
    /// </summary>
    public sealed class FreshnessStatement
    {
        public const int KeyNonce = 1, KeyDevice = 2, KeyNewestSequence = 3, KeyServerTime = 4;

        /// <summary>The board's nonce: 32 bytes from GetRandom.</summary>
        public const int NonceLength = 32;

        /// <summary>Bounds of what a board parses: the encoded statement and its COSE_Sign1.</summary>
        public const int MaxEncoded = 256, MaxSign1 = 128;

        public byte[] Nonce;
        public string DeviceId;
        public long NewestSequence;
        public long ServerTime;

        public byte[] Encode()
        {
            CborWriter w = new CborWriter(128);
            w.WriteMapHeader(4);
            w.WriteInt64(KeyNonce);
            w.WriteByteString(Nonce);
            w.WriteInt64(KeyDevice);
            w.WriteTextString(DeviceId);
            w.WriteInt64(KeyNewestSequence);
            w.WriteInt64(NewestSequence);
            w.WriteInt64(KeyServerTime);
            w.WriteInt64(ServerTime);
            return w.ToArray();
        }

        /// <summary>Decodes exactly the four members in order, nothing else; null when the bytes are anything else.</summary>
        public static FreshnessStatement Decode(byte[] encoded)
        {
            if (encoded == null || encoded.Length > MaxEncoded)
            {
                return null;
            }

            try
            {
                CborReader r = new CborReader(encoded, 0, encoded.Length);
                FreshnessStatement s = new FreshnessStatement();
                if (r.ReadMapHeader() != 4 || r.ReadInt32() != KeyNonce)
                {
                    return null;
                }

                s.Nonce = r.ReadByteStringCopy(NonceLength);
                if (s.Nonce.Length != NonceLength || r.ReadInt32() != KeyDevice)
                {
                    return null;
                }

                s.DeviceId = r.ReadTextString(128);
                if (r.ReadInt32() != KeyNewestSequence)
                {
                    return null;
                }

                s.NewestSequence = r.ReadInt64();
                if (r.ReadInt32() != KeyServerTime)
                {
                    return null;
                }

                s.ServerTime = r.ReadInt64();
                return r.AtEnd && s.NewestSequence >= 0 && s.ServerTime >= 0 ? s : null;
            }
            catch (CborException)
            {
                return null;
            }
        }
    }
}

using SecureOta.Core.Crypto;
using SecureOta.Drivers.Chip.Commands;
using SecureOta.Drivers.I2c;

namespace SecureOta.Drivers.Chip
{
    /// <summary>
    /// The security chip as the agent uses it: the protocol stack (physical, data link, transport) over
    /// the I2C seam, commands as value objects, and the chip's refusals surfaced with its last-error code
    /// (0xF1C2). Every operation returns a ChipResult; nothing throws for a chip or bus condition.
    /// </summary>
    public sealed class SecurityChip
    {
        /// <summary>Last Error Code object (read clears it).</summary>
        public const int OidLastError = 0xF1C2;

        /// <summary>Coprocessor UID (27 bytes).</summary>
        public const int OidUid = 0xE0C2;

        /// <summary>
        /// The device key (device authentication: the signed check-in), generated in the chip by the factory
        /// station; E0F0 is Infineon's own key on a real chip (change NEV), so the vendor's is in E0F2.
        /// </summary>
        public const int OidDeviceKey = 0xE0F2;

        /// <summary>The device certificate the vendor's device CA issued for OidDeviceKey (a project certificate slot).</summary>
        public const int OidDeviceCertificate = 0xE0E1;

        /// <summary>Trust anchor for the update (the vendor's update key certificate).</summary>
        public const int OidUpdateTrustAnchor = 0xE0EF;

        /// <summary>
        /// The update channel's trust anchor: the certificate of the server's channel key, which signs the
        /// freshness statements (issue 18, docs/device-api.md 3a). Trust X and M both have a second trust
        /// anchor object, 0xE0E8 (type TA, at most 1200 bytes; Trust M has 0xE0E8-0xE0E9: the data object
        /// table of ../shared/reference/optiga-trust.md, from Infineon's optiga-trust Python package's
        /// object list for the Trust X); the factory writes and locks it as it does 0xE0EF.
        /// </summary>
        public const int OidChannelTrustAnchor = 0xE0E8;

        /// <summary>The update master secret (PRESSEC, read NEV).</summary>
        public const int OidUpdateMasterSecret = 0xF1D0;

        /// <summary>Monotonic counter used for anti-rollback (value[4] || threshold[4]).</summary>
        public const int OidRollbackCounter = 0xE120;

        /// <summary>The part, as the chip's I2C_STATE tells it after Open: no presentation layer, a Trust X.</summary>
        public const int PartUnknown = 0;
        public const int PartTrustX = 1;
        public const int PartTrustM = 2;

        /// <summary>Anti-rollback value on a Trust X (no monotonic counters there): data object F1D1, 4 bytes, big-endian.</summary>
        public const int OidTrustXRollbackValue = 0xF1D1;

        /// <summary>The class's key-agreement key (ES-DH recipient; on a Trust X the only way to an update key).</summary>
        public const int OidClassKeyAgreementKey = 0xE0F1;

        private readonly PhysicalLayer _physical;
        private readonly DataLinkLayer _link;
        private readonly TransportLayer _transport;
        private PresentationLayer _presentation;

        public SecurityChip(II2cTransport bus, IChipClock clock)
        {
            _physical = new PhysicalLayer(bus, clock);
            _link = new DataLinkLayer(_physical);
            _transport = new TransportLayer(_link);
        }

        /// <summary>
        /// Protects every later exchange with the shielded connection, keyed by the platform binding
        /// secret this MCU shares with its chip. Takes effect at the next Open.
        /// </summary>
        public void EnableShieldedConnection(byte[] platformBindingSecret, ISha256 sha, IAesFactory aes)
        {
            _presentation = new PresentationLayer(_transport, sha, aes, platformBindingSecret);
        }

        /// <summary>Negotiates the frame size, runs the shielded-connection handshake if enabled, opens the application.</summary>
        public ChipResult Open()
        {
            int r = _physical.Negotiate(ChipTiming.FrameSize);
            if (r != ChipErrors.Ok)
            {
                return ChipResult.Fail(r, "frame size negotiation failed");
            }

            Part = _physical.PresentationLayerSupported ? PartTrustM : PartTrustX;
            if (_presentation != null && Part != PartTrustM)
            {
                return ChipResult.Fail(ChipErrors.PresentationHandshake, "a shielded connection is configured but the chip has no presentation layer (a Trust X)");
            }

            _link.Reset();
            _transport.PresenceOn = false;
            if (_presentation != null)
            {
                r = _presentation.Handshake();
                if (r != ChipErrors.Ok)
                {
                    return ChipResult.Fail(r, "shielded connection handshake failed");
                }
            }

            return Execute(new OpenApplication());
        }

        /// <summary>Which part the last Open found (PartTrustX, PartTrustM; PartUnknown before).</summary>
        public int Part { get; private set; }

        /// <summary>The part's name for logs and reports.</summary>
        public string PartName
        {
            get { return Part == PartTrustX ? "trust-x" : Part == PartTrustM ? "trust-m" : "unknown"; }
        }

        /// <summary>Warm-resets the chip (SOFT_RESET register), waits its start-up time, and opens it again.</summary>
        public ChipResult Reset()
        {
            int r = _physical.SoftReset();
            if (r != ChipErrors.Ok)
            {
                return ChipResult.Fail(r, "soft reset failed");
            }

            return Open();
        }

        /// <summary>Sends a command; on a refusal reads the last-error code and returns it as a device error.</summary>
        public ChipResult Execute(ChipCommand command)
        {
            byte[] apdu = command.GetBytes();
            int error;
            byte[] response = ExchangeApdu(apdu, command.TimeoutUs, command.Protection, out error);
            if (response == null)
            {
                return ChipResult.Fail(error, "the command did not get through the I2C protocol");
            }

            if (response.Length < 4)
            {
                return ChipResult.Fail(ChipErrors.CommandMalformedResponse, "response shorter than its header");
            }

            int outLength = (response[2] << 8) | response[3];
            if (outLength != response.Length - 4)
            {
                return ChipResult.Fail(ChipErrors.CommandMalformedResponse, "response length field does not match");
            }

            if (response[0] != 0x00)
            {
                return ChipResult.Fail(ChipErrors.DeviceBase | ReadLastError(), "the chip refused the command");
            }

            byte[] data = new byte[outLength];
            System.Array.Copy(response, 4, data, 0, outLength);
            return ChipResult.Ok(data);
        }

        /// <summary>Reads data of an object (GetDataObject), up to length bytes from offset.</summary>
        public ChipResult Read(int oid, int offset, int length)
        {
            return Execute(new GetDataObject(oid, offset, length));
        }

        /// <summary>
        /// Verifies an ECDSA P-256 signature (COSE r || s) over a SHA-256 digest with the public key of the
        /// certificate in trustAnchorOid: the decision is the chip's.
        /// </summary>
        public ChipResult VerifyWithTrustAnchor(int trustAnchorOid, byte[] digest, byte[] rawSignature)
        {
            if (digest == null || digest.Length != 32 || rawSignature == null || rawSignature.Length != 64)
            {
                return ChipResult.Fail(ChipErrors.CommandBadArgument, "digest must be 32 bytes and the signature 64");
            }

            return Execute(new VerifySign(digest, EcdsaSignature.ToChip(rawSignature), trustAnchorOid));
        }

        /// <summary>TLS1.2-PRF-SHA256 from a secret object (e.g. the update master secret), key exported.</summary>
        public ChipResult DeriveKeyExport(int secretOid, byte[] derivationData, int keyLength)
        {
            if (derivationData == null || derivationData.Length < 8 || derivationData.Length > 1024 || keyLength < 16 || keyLength > 256)
            {
                return ChipResult.Fail(ChipErrors.CommandBadArgument, "derivation data 8..1024 bytes, key 16..256 bytes");
            }

            ChipResult r = Execute(new DeriveKey(secretOid, derivationData, keyLength, 0));
            if (r.IsOk && r.Data.Length != keyLength)
            {
                return ChipResult.Fail(ChipErrors.CommandMalformedResponse, "derived key has the wrong length");
            }

            return r;
        }

        /// <summary>Reads a monotonic counter's value (the first 4 bytes, big-endian); -1 on failure.</summary>
        public long ReadCounter(int counterOid, out ChipResult result)
        {
            result = Read(counterOid, 0, 8);
            if (!result.IsOk)
            {
                return -1;
            }

            if (result.Data.Length < 4)
            {
                result = ChipResult.Fail(ChipErrors.CommandMalformedResponse, "counter object shorter than 4 bytes");
                return -1;
            }

            byte[] d = result.Data;
            return ((long)d[0] << 24) | ((long)d[1] << 16) | ((long)d[2] << 8) | d[3];
        }

        /// <summary>Advances a monotonic counter by steps (1..255): SetDataObject with param count.</summary>
        public ChipResult AdvanceCounter(int counterOid, int steps)
        {
            if (steps < 1 || steps > 255)
            {
                return ChipResult.Fail(ChipErrors.CommandBadArgument, "a counter advances by 1..255 per command");
            }

            return Execute(new SetDataObject(counterOid, 0, new byte[] { (byte)steps }, SetDataObject.ParamCount));
        }

        /// <summary>
        /// ECDH (CalcSSec) of a key object with a peer's P-256 public key (BIT STRING 03 42 00 04 X Y), the
        /// 32-byte shared secret exported: the ES-DH recipient's Z. The private key stays on the chip.
        /// </summary>
        public ChipResult SharedSecretExport(int keyOid, byte[] peerPublicKeyBitString)
        {
            if (peerPublicKeyBitString == null || peerPublicKeyBitString.Length != 68)
            {
                return ChipResult.Fail(ChipErrors.CommandBadArgument, "the peer key is a 68-byte P-256 BIT STRING");
            }

            ChipResult r = Execute(new CalcSSec(keyOid, peerPublicKeyBitString, 0));
            if (r.IsOk && r.Data.Length != 32)
            {
                return ChipResult.Fail(ChipErrors.CommandMalformedResponse, "the shared secret is not 32 bytes");
            }

            return r;
        }

        /// <summary>
        /// The anti-rollback value: on a Trust M its monotonic counter E120 (the chip refuses to lower it);
        /// on a Trust X, which has no monotonic counter, data object F1D1 (4 bytes, big-endian), which the
        /// agent only ever raises (docs/security-chip.md says what that leaves open). -1 on failure.
        /// </summary>
        public long ReadAntiRollback(out ChipResult result)
        {
            if (Part != PartTrustX)
            {
                return ReadCounter(OidRollbackCounter, out result);
            }

            result = Read(OidTrustXRollbackValue, 0, 4);
            if (!result.IsOk)
            {
                return -1;
            }

            if (result.Data.Length != 4)
            {
                result = ChipResult.Fail(ChipErrors.CommandMalformedResponse, "the anti-rollback object is not 4 bytes");
                return -1;
            }

            byte[] d = result.Data;
            return ((long)d[0] << 24) | ((long)d[1] << 16) | ((long)d[2] << 8) | d[3];
        }

        /// <summary>Raises the anti-rollback value to target (never lowers it): counter steps of at most 255 on a Trust M, one write on a Trust X.</summary>
        public ChipResult RaiseAntiRollback(long target)
        {
            if (target < 0 || target > 0xFFFFFFFFL)
            {
                return ChipResult.Fail(ChipErrors.CommandBadArgument, "the anti-rollback value is 0..2^32-1");
            }

            ChipResult result;
            for (int commands = 0; commands < 64; commands++)
            {
                long value = ReadAntiRollback(out result);
                if (value < 0)
                {
                    return result;
                }

                if (value >= target)
                {
                    return ChipResult.Ok(new byte[0]);
                }

                bool last = true;
                if (Part == PartTrustX)
                {
                    byte[] v = new byte[] { (byte)(target >> 24), (byte)(target >> 16), (byte)(target >> 8), (byte)target };
                    result = Execute(new SetDataObject(OidTrustXRollbackValue, 0, v, SetDataObject.ParamWrite));
                }
                else
                {
                    long step = target - value;
                    last = step <= 255;
                    result = AdvanceCounter(OidRollbackCounter, last ? (int)step : 255);
                }

                // The chip's success for the step that reaches the target is the proof (over the shielded
                // connection an authenticated response): no read-back command. A longer jump reads again.
                if (!result.IsOk || last)
                {
                    return result.IsOk ? ChipResult.Ok(new byte[0]) : result;
                }
            }

            return ChipResult.Fail(ChipErrors.CommandBadArgument, "the sequence number jumps further than the counter can follow");
        }

        /// <summary>Signs a digest with a private key object (device authentication); returns r || s.</summary>
        public ChipResult Sign(int keyOid, byte[] digest)
        {
            ChipResult r = Execute(new CalcSign(digest, keyOid));
            if (!r.IsOk)
            {
                return r;
            }

            byte[] raw = EcdsaSignature.FromChip(r.Data);
            return raw == null ? ChipResult.Fail(ChipErrors.CommandMalformedResponse, "signature is not two DER INTEGERs") : ChipResult.Ok(raw);
        }

        private byte[] ExchangeApdu(byte[] apdu, int timeoutUs, byte protection, out int error)
        {
            return _presentation != null && _presentation.Established
                ? _presentation.Exchange(apdu, timeoutUs, protection, out error)
                : _transport.Exchange(apdu, apdu.Length, timeoutUs, out error);
        }

        private int ReadLastError()
        {
            byte[] apdu = new GetDataObject(OidLastError, 0, 1).GetBytes();
            int error;
            byte[] response = ExchangeApdu(apdu, ChipTiming.ExitTimeoutUs, PresentationLayer.ProtectResponse, out error);
            if (response == null || response.Length < 5 || response[0] != 0)
            {
                return 0xFF; /* unknown: the refusal stands */
            }

            return response[4];
        }
    }
}

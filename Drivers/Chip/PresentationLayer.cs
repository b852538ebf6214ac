using SecureOta.Core.Crypto;

namespace SecureOta.Drivers.Chip
{
    /// <summary>
    /// The shielded connection (IFX I2C 2.03 section 6; optiga-trust.md 1.5), pre-shared-secret version
    /// 0x01: a handshake on the platform binding secret (session keys = TLS1.2-PRF-SHA256(secret,
    /// "Platform Binding" || RND), 40 bytes) and records protected both ways with AES-128-CCM-8, nonce =
    /// 4-byte key-block nonce || 4-byte sequence number, AAD = SCTR || SEQ || PVER || length.
    /// Each record carries its protection level in the SCTR (bit 0 command, bit 1 response; M-PRL
    /// PRL_STATE_TXRX), chosen per command (ChipCommand.Protection; docs/security-chip.md): an attacker
    /// on the I2C bus can neither read nor alter what is protected.
    /// </summary>
    public sealed class PresentationLayer
    {
        // SCTR values (IFX I2C 2.03 Table 6-2).
        public const byte SctrHello = 0x00;
        public const byte SctrFinished = 0x08;
        public const byte SctrRecord = 0x20;

        // Protection bits of a record's SCTR (IFX I2C 2.03 Table 6-2; M-CFG MASTER_/SLAVE_/FULL_PROTECTION).
        public const byte ProtectNone = 0x00;
        public const byte ProtectCommand = 0x01;
        public const byte ProtectResponse = 0x02;
        public const byte ProtectFull = 0x03;
        public const byte SctrRecordFullProtection = SctrRecord | ProtectFull;
        public const byte SctrAlertFatal = 0x40;
        public const byte SctrAlertIntegrity = 0x44;

        /// <summary>Protocol version 0x01: pre-shared secret, TLS-PRF-SHA256, AES-128-CCM-8.</summary>
        public const byte ProtocolVersion = 0x01;

        /// <summary>Accepted window for the chip's sequence number (TRANS_REPEAT).</summary>
        public const int SequenceWindow = 3;

        private static readonly byte[] Label = new byte[] { 0x50, 0x6C, 0x61, 0x74, 0x66, 0x6F, 0x72, 0x6D, 0x20, 0x42, 0x69, 0x6E, 0x64, 0x69, 0x6E, 0x67 }; /* "Platform Binding" */

        private readonly TransportLayer _transport;
        private readonly ISha256 _sha;
        private readonly IAesFactory _aes;
        private readonly byte[] _secret;
        private AesCcm _masterCcm;
        private AesCcm _slaveCcm;
        private readonly byte[] _masterNonce = new byte[4];
        private readonly byte[] _slaveNonce = new byte[4];
        private uint _mseq;
        private uint _sseq;

        public PresentationLayer(TransportLayer transport, ISha256 sha, IAesFactory aes, byte[] platformBindingSecret)
        {
            _transport = transport;
            _sha = sha;
            _aes = aes;
            _secret = platformBindingSecret;
        }

        public bool Established { get; private set; }

        /// <summary>Runs the handshake; returns ChipErrors.Ok or the failing layer's code.</summary>
        public int Handshake()
        {
            Established = false;
            _transport.PresenceOn = true;
            int error;
            byte[] hello = _transport.Exchange(new byte[] { SctrHello, ProtocolVersion }, 2, ChipTiming.ExitTimeoutUs, out error);
            if (hello == null)
            {
                return error;
            }

            if (hello.Length != 38 || hello[0] != SctrHello || hello[1] != ProtocolVersion)
            {
                return ChipErrors.PresentationHandshake;
            }

            byte[] rnd = new byte[32];
            System.Array.Copy(hello, 2, rnd, 0, 32);
            uint sseq = ReadUInt32(hello, 34);
            byte[] seed = new byte[Label.Length + 32];
            System.Array.Copy(Label, seed, Label.Length);
            System.Array.Copy(rnd, 0, seed, Label.Length, 32);
            byte[] keys = Tls12Prf.Derive(_sha, _secret, seed, 40);
            byte[] masterKey = new byte[16];
            byte[] slaveKey = new byte[16];
            System.Array.Copy(keys, 0, masterKey, 0, 16);
            System.Array.Copy(keys, 16, slaveKey, 0, 16);
            System.Array.Copy(keys, 32, _masterNonce, 0, 4);
            System.Array.Copy(keys, 36, _slaveNonce, 0, 4);
            System.Array.Clear(keys, 0, keys.Length);
            _masterCcm = new AesCcm(_aes.Create(masterKey));
            _slaveCcm = new AesCcm(_aes.Create(slaveKey));
            System.Array.Clear(masterKey, 0, 16);
            System.Array.Clear(slaveKey, 0, 16);

            // Master Finished: 08 | SSEQ | CCM(RND || SSEQ).
            byte[] plain = new byte[36];
            System.Array.Copy(rnd, plain, 32);
            WriteUInt32(plain, 32, sseq);
            byte[] sealedData = _masterCcm.Seal(Nonce(_masterNonce, sseq), Aad(SctrFinished, sseq, 36), plain);
            byte[] finished = new byte[5 + sealedData.Length];
            finished[0] = SctrFinished;
            WriteUInt32(finished, 1, sseq);
            System.Array.Copy(sealedData, 0, finished, 5, sealedData.Length);
            byte[] reply = _transport.Exchange(finished, finished.Length, ChipTiming.ExitTimeoutUs, out error);
            if (reply == null)
            {
                return error;
            }

            // Slave Finished: 08 | MSEQ | CCM(RND || MSEQ) under the slave's key.
            if (reply.Length != 49 || reply[0] != SctrFinished)
            {
                return ChipErrors.PresentationHandshake;
            }

            uint mseq = ReadUInt32(reply, 1);
            byte[] body = new byte[44];
            System.Array.Copy(reply, 5, body, 0, 44);
            byte[] opened = _slaveCcm.Open(Nonce(_slaveNonce, mseq), Aad(SctrFinished, mseq, 36), body);
            if (opened == null || ReadUInt32(opened, 32) != mseq)
            {
                return ChipErrors.PresentationHandshake;
            }

            for (int i = 0; i < 32; i++)
            {
                if (opened[i] != rnd[i])
                {
                    return ChipErrors.PresentationHandshake;
                }
            }

            _mseq = mseq;
            _sseq = sseq;
            Established = true;
            return ChipErrors.Ok;
        }

        /// <summary>
        /// Sends a command at a protection level (ProtectNone..ProtectFull) and returns the response APDU,
        /// authenticated and decrypted where the level protects it.
        /// </summary>
        public byte[] Exchange(byte[] apdu, int timeoutUs, byte protection, out int error)
        {
            if (!Established || protection > ProtectFull)
            {
                error = ChipErrors.PresentationHandshake;
                return null;
            }

            byte sctr = (byte)(SctrRecord | protection);
            byte[] record;
            if ((protection & ProtectCommand) != 0)
            {
                _mseq++;
                byte[] sealedData = _masterCcm.Seal(Nonce(_masterNonce, _mseq), Aad(sctr, _mseq, apdu.Length), apdu);
                record = new byte[5 + sealedData.Length];
                WriteUInt32(record, 1, _mseq);
                System.Array.Copy(sealedData, 0, record, 5, sealedData.Length);
            }
            else
            {
                record = new byte[1 + apdu.Length];
                System.Array.Copy(apdu, 0, record, 1, apdu.Length);
            }

            record[0] = sctr;
            byte[] reply = _transport.Exchange(record, record.Length, timeoutUs, out error);
            if (reply == null)
            {
                return null;
            }

            // The response carries the request's SCTR; an alert or anything else ends the exchange.
            if (reply.Length < 2 || reply[0] != sctr)
            {
                error = ChipErrors.PresentationIntegrity;
                return null;
            }

            if ((protection & ProtectResponse) == 0)
            {
                byte[] plain = new byte[reply.Length - 1];
                System.Array.Copy(reply, 1, plain, 0, plain.Length);
                error = ChipErrors.Ok;
                return plain;
            }

            if (reply.Length < 5 + AesCcm.TagLength)
            {
                error = ChipErrors.PresentationIntegrity;
                return null;
            }

            uint sseq = ReadUInt32(reply, 1);
            if (sseq <= _sseq || sseq - _sseq > SequenceWindow)
            {
                error = ChipErrors.PresentationIntegrity; /* replayed or out-of-window record */
                return null;
            }

            byte[] body = new byte[reply.Length - 5];
            System.Array.Copy(reply, 5, body, 0, body.Length);
            byte[] response = _slaveCcm.Open(Nonce(_slaveNonce, sseq), Aad(sctr, sseq, body.Length - AesCcm.TagLength), body);
            if (response == null)
            {
                error = ChipErrors.PresentationIntegrity;
                return null;
            }

            _sseq = sseq;
            error = ChipErrors.Ok;
            return response;
        }

        private static byte[] Nonce(byte[] keyNonce, uint seq)
        {
            byte[] nonce = new byte[8];
            System.Array.Copy(keyNonce, nonce, 4);
            WriteUInt32(nonce, 4, seq);
            return nonce;
        }

        // AAD = SCTR || SEQ[4] || PVER || payload length[2] (IFX I2C 2.03 Figs 6-2..6-5).
        private static byte[] Aad(byte sctr, uint seq, int length)
        {
            byte[] aad = new byte[8];
            aad[0] = sctr;
            WriteUInt32(aad, 1, seq);
            aad[5] = ProtocolVersion;
            aad[6] = (byte)(length >> 8);
            aad[7] = (byte)length;
            return aad;
        }

        private static uint ReadUInt32(byte[] b, int o)
        {
            return ((uint)b[o] << 24) | ((uint)b[o + 1] << 16) | ((uint)b[o + 2] << 8) | b[o + 3];
        }

        private static void WriteUInt32(byte[] b, int o, uint v)
        {
            b[o] = (byte)(v >> 24);
            b[o + 1] = (byte)(v >> 16);
            b[o + 2] = (byte)(v >> 8);
            b[o + 3] = (byte)v;
        }
    }
}

namespace SecureOta.Drivers.Chip
{
    /// <summary>
    /// IFX I2C data link layer (shared/reference/optiga-trust.md 1.2): frames FCTR | LEN | packet | FCS,
    /// window size 1, frame and ack numbers modulo 4 starting from 3, control ACK/NAK frames,
    /// retransmission after 10 ms without an ACK, resynchronisation after 3 repeats, and the receiver
    /// rules of the host library, row by row (X-DL / M-DL ifx_i2c_pl_event_handler; I2C-203 Tables 3-2,
    /// 3-3): NAK a damaged, empty or resync/RFU data frame; re-ACK and drop one with an unexpected
    /// frame number; drop one that acknowledges a frame we did not send; resend on a NAK (control or
    /// piggy-backed) and on a damaged control frame; drop control frames with a length, a frame
    /// number, an RFU sequence or a foreign ACK number; on a resync restart numbering (the frame in
    /// flight is sent again as frame 0).
    /// </summary>
    public sealed class DataLinkLayer
    {
        // FCTR fields (IFX I2C protocol Table 3-1).
        public const byte ControlFrame = 0x80;
        public const byte SeqNak = 0x20;
        public const byte SeqResync = 0x40;
        public const byte SeqMask = 0x60;
        public const byte FrameNumberMask = 0x0C;
        public const byte AckNumberMask = 0x03;

        private readonly PhysicalLayer _physical;
        private readonly byte[] _frame;
        private readonly byte[] _control = new byte[5];
        private readonly byte[] _tx;
        private byte[] _pending;
        private int _pendingLength = -1;
        private int _txSeq = 3;
        private int _rxSeq = 3;
        private int _txLength;
        private const int Resynced = -1;

        public DataLinkLayer(PhysicalLayer physical)
        {
            _physical = physical;
            _frame = new byte[ChipTiming.FrameSize + 8];
            _tx = new byte[ChipTiming.FrameSize + 8];
            _pending = new byte[ChipTiming.FrameSize];
        }

        /// <summary>Largest packet (PCTR + payload) one frame carries.</summary>
        public int MaxPacket
        {
            get { return _physical.FrameSize - ChipTiming.FrameOverhead; }
        }

        /// <summary>Restarts numbering, as after a reset of the chip.</summary>
        public void Reset()
        {
            _txSeq = 3;
            _rxSeq = 3;
            _pendingLength = -1;
        }

        /// <summary>Encodes a frame: FCTR, LEN (big-endian), packet, FCS (high byte first).</summary>
        public static int BuildFrame(byte fctr, byte[] packet, int count, byte[] frame)
        {
            frame[0] = fctr;
            frame[1] = (byte)(count >> 8);
            frame[2] = (byte)count;
            if (count > 0)
            {
                System.Array.Copy(packet, 0, frame, 3, count);
            }

            ushort fcs = Crc16Kermit.Compute(frame, 0, 3 + count);
            frame[3 + count] = (byte)(fcs >> 8);
            frame[4 + count] = (byte)fcs;
            return count + 5;
        }

        /// <summary>Sends a packet as one data frame and waits until the chip acknowledges it.</summary>
        public int Send(byte[] packet, int count)
        {
            if (count + ChipTiming.FrameOverhead > _physical.FrameSize)
            {
                return ChipErrors.DataLinkFrameTooLarge;
            }

            for (int round = 0; round < 2; round++)
            {
                int frameNumber = (_txSeq + 1) & 3;
                int length = BuildFrame((byte)((frameNumber << 2) | _rxSeq), packet, count, _tx);
                _txLength = length;
                bool resyncedByChip = false;
                for (int attempt = 0; attempt <= ChipTiming.TransRepeat; attempt++)
                {
                    int r = _physical.WriteFrame(_tx, length);
                    if (r != ChipErrors.Ok)
                    {
                        return r;
                    }

                    int ack = AwaitAck(frameNumber);
                    if (ack == ChipErrors.Ok)
                    {
                        _txSeq = frameNumber;
                        return ChipErrors.Ok;
                    }

                    if (ack == Resynced)
                    {
                        resyncedByChip = true; /* the chip restarted numbering: this frame again, as frame 0 */
                        break;
                    }

                    if (ack != ChipErrors.DataLinkRetriesExhausted)
                    {
                        return ack; /* a physical failure: the bus itself is gone */
                    }
                }

                if (resyncedByChip)
                {
                    continue;
                }

                // TRANS_REPEAT exceeded: resynchronise (both sides restart numbering) and try once more.
                int resync = Resynchronise();
                if (resync != ChipErrors.Ok)
                {
                    return resync;
                }
            }

            return ChipErrors.DataLinkRetriesExhausted;
        }

        /// <summary>Receives the next data frame's packet into buffer; returns its length or a negative error.</summary>
        public int Receive(byte[] buffer, int timeoutUs)
        {
            if (_pendingLength >= 0)
            {
                int n = _pendingLength;
                System.Array.Copy(_pending, buffer, n);
                _pendingLength = -1;
                return n;
            }

            long deadline = _physical.Clock.NowMicroseconds + timeoutUs;
            int naks = 0;
            while (true)
            {
                long left = deadline - _physical.Clock.NowMicroseconds;
                if (left <= 0)
                {
                    return -ChipErrors.PhysicalTimeout;
                }

                int length = _physical.ReadFrame(_frame, (int)left);
                if (length < 0)
                {
                    return length;
                }

                if (!FrameValid(length))
                {
                    // Damaged: ask for it again (NAK names the frame we expect), a bounded number of times.
                    if (++naks > ChipTiming.TransRepeat)
                    {
                        return -ChipErrors.DataLinkRetriesExhausted;
                    }

                    int r = SendControl((byte)(ControlFrame | SeqNak | ((_rxSeq + 1) & 3)));
                    if (r != ChipErrors.Ok)
                    {
                        return -r;
                    }

                    continue;
                }

                byte fctr = _frame[0];
                if ((fctr & ControlFrame) != 0)
                {
                    if ((fctr & SeqMask) == SeqResync)
                    {
                        Reset();
                    }

                    continue; /* receive-only: control frames other than resync are discarded */
                }

                int packetLength = (_frame[1] << 8) | _frame[2];
                if ((fctr & FrameNumberMask) >> 2 == ((_rxSeq + 1) & 3) && (fctr & AckNumberMask) != _txSeq)
                {
                    continue; /* acknowledges a frame we did not send: discard */
                }

                if ((fctr & SeqMask) == SeqNak && packetLength > 0 && (fctr & AckNumberMask) == _txSeq)
                {
                    int resend = _physical.WriteFrame(_tx, _txLength); /* the chip NAKs our last frame in its data frame */
                    if (resend != ChipErrors.Ok)
                    {
                        return -resend;
                    }

                    continue;
                }

                int r2 = AcceptData(fctr, packetLength);
                if (r2 == 1)
                {
                    System.Array.Copy(_frame, 3, buffer, 0, packetLength);
                    return packetLength;
                }

                if (r2 < 0)
                {
                    return r2;
                }
            }
        }

        // Waits up to TRANS_TIMEOUT for the acknowledgement of frameNumber: a control ACK, or a data
        // frame carrying it (stored as the pending response).
        private int AwaitAck(int frameNumber)
        {
            long deadline = _physical.Clock.NowMicroseconds + ChipTiming.TransTimeoutUs;
            while (true)
            {
                long left = deadline - _physical.Clock.NowMicroseconds;
                if (left <= 0)
                {
                    return ChipErrors.DataLinkRetriesExhausted;
                }

                int length = _physical.ReadFrame(_frame, (int)left);
                if (length == -ChipErrors.PhysicalTimeout)
                {
                    return ChipErrors.DataLinkRetriesExhausted;
                }

                if (length < 0)
                {
                    return -length;
                }

                if (!FrameValid(length))
                {
                    return ChipErrors.DataLinkRetriesExhausted; /* damaged answer: retransmit */
                }

                byte fctr = _frame[0];
                int ackNumber = fctr & AckNumberMask;
                int packetLength0 = (_frame[1] << 8) | _frame[2];
                if ((fctr & ControlFrame) != 0)
                {
                    int seq = fctr & SeqMask;
                    if (packetLength0 != 0)
                    {
                        continue; /* a control frame carries nothing: discard */
                    }

                    if (seq == SeqResync)
                    {
                        Reset();
                        return Resynced;
                    }

                    if ((fctr & FrameNumberMask) != 0 || seq == SeqMask || ackNumber != frameNumber)
                    {
                        continue; /* stray control frame: discard */
                    }

                    return seq == 0 ? ChipErrors.Ok : ChipErrors.DataLinkRetriesExhausted; /* NAK: retransmit */
                }

                // A data frame: the response, with the ACK piggy-backed (or a NAK: retransmit).
                if (ackNumber != frameNumber)
                {
                    continue;
                }

                if ((fctr & SeqMask) == SeqNak && packetLength0 > 0)
                {
                    return ChipErrors.DataLinkRetriesExhausted;
                }

                int packetLength = (_frame[1] << 8) | _frame[2];
                int accepted = AcceptData(fctr, packetLength);
                if (accepted == 1)
                {
                    System.Array.Copy(_frame, 3, _pending, 0, packetLength);
                    _pendingLength = packetLength;
                    return ChipErrors.Ok;
                }

                if (accepted < 0)
                {
                    return -accepted;
                }
            }
        }

        // Returns 1 if the data frame is the next one (and ACKs it), 0 if it was a duplicate (re-ACKed), <0 on error.
        private int AcceptData(byte fctr, int packetLength)
        {
            int frameNumber = (fctr & FrameNumberMask) >> 2;
            if (packetLength == 0 || (fctr & SeqMask) != 0)
            {
                int r0 = SendControl((byte)(ControlFrame | SeqNak | ((_rxSeq + 1) & 3)));
                return r0 == ChipErrors.Ok ? 0 : -r0;
            }

            if (frameNumber != ((_rxSeq + 1) & 3))
            {
                int r1 = SendControl((byte)(ControlFrame | _rxSeq)); /* duplicate: ACK the last good frame again */
                return r1 == ChipErrors.Ok ? 0 : -r1;
            }

            _rxSeq = frameNumber;
            int r = SendControl((byte)(ControlFrame | _rxSeq));
            return r == ChipErrors.Ok ? 1 : -r;
        }

        private bool FrameValid(int length)
        {
            if (length < 5)
            {
                return false;
            }

            int packetLength = (_frame[1] << 8) | _frame[2];
            if (packetLength + 5 != length)
            {
                return false;
            }

            ushort fcs = Crc16Kermit.Compute(_frame, 0, 3 + packetLength);
            return _frame[3 + packetLength] == (byte)(fcs >> 8) && _frame[4 + packetLength] == (byte)fcs;
        }

        private int SendControl(byte fctr)
        {
            BuildFrame(fctr, null, 0, _control);
            return _physical.WriteFrame(_control, 5);
        }

        private int Resynchronise()
        {
            int r = SendControl((byte)(ControlFrame | SeqResync));
            Reset();
            return r;
        }
    }
}

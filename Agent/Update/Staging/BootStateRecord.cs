namespace SecureOta.Agent.Update.Staging
{
    /// <summary>
    /// A boot-state record, byte for byte as docs/boot-protocol.md ("Boot-state area") defines it and
    /// Bootloader/src/bs_state.c reads it: 128 bytes, little-endian, CRC-32 over bytes 0..123. The agent
    /// writes only REQUESTED and CONFIRMED records (writer 2, no MAC); it reads the boot stage's records
    /// for their information but cannot check their MAC (the key is the boot stage's).
    /// </summary>
    public sealed class BootStateRecord
    {
        public const int Size = 128;
        public const uint Magic = 0x31545342;
        public const byte StateIdle = 1, StateRequested = 2, StateInstalling = 3, StateTesting = 4, StateConfirmed = 5, StateReverting = 6;
        public const byte WriterBoot = 1, WriterAgent = 2;
        public const byte ComponentDeploy = 2, ComponentNanoclr = 3;

        /// <summary>Firmware and application installed together (nanoclr then deploy; Bootloader BS_COMPONENT_PAIR).</summary>
        public const byte ComponentPair = 4;

        /// <summary>Boot-stage reasons that mean "went back to the old image" (bs_result.h: 41, 44).</summary>
        public const byte ReasonNotConfirmed = 41, ReasonInstallCheckFailed = 44;

        private const int OffSeq = 4, OffState = 8, OffComponent = 9, OffReason = 10, OffWriter = 11, OffSectors = 12,
            OffSize = 16, OffProgress = 20, OffImageSeq = 24, OffOldSeq = 32, OffOldDigest = 40, OffSize2 = 88, OffSlots = 92, OffHome = 93, OffCrc = 124;

        public uint Seq { get; set; }
        public byte State { get; set; }
        public byte Component { get; set; }
        public byte Reason { get; set; }
        public byte Writer { get; set; }
        public uint ImageSectors { get; set; }
        public uint ImageSize { get; set; }
        public uint ProgressBase { get; set; }
        public long ImageSeq { get; set; }
        public long OldSeq { get; set; }
        public byte[] OldDigest { get; set; }

        /// <summary>A pair: the application's size (ImageSize is the firmware's); 0 otherwise.</summary>
        public uint ImageSize2 { get; set; }

        /// <summary>A/B boards: the slots this state boots (bit 0 deploy, bit 1 nanoclr; set = slot 1). In a
        /// request, the slots the agent wrote the image(s) into (docs/boot-protocol.md, "A/B slots").</summary>
        public byte Slots { get; set; }

        /// <summary>A/B boards: the slots of the confirmed images (the boot stage's records).</summary>
        public byte Home { get; set; }

        public byte[] Encode()
        {
            byte[] b = new byte[Size];
            Put32(b, 0, Magic);
            Put32(b, OffSeq, Seq);
            b[OffState] = State;
            b[OffComponent] = Component;
            b[OffReason] = Reason;
            b[OffWriter] = Writer;
            Put32(b, OffSectors, ImageSectors);
            Put32(b, OffSize, ImageSize);
            Put32(b, OffProgress, ProgressBase);
            Put64(b, OffImageSeq, ImageSeq);
            Put64(b, OffOldSeq, OldSeq);
            if (OldDigest != null)
            {
                System.Array.Copy(OldDigest, 0, b, OffOldDigest, 32);
            }

            Put32(b, OffSize2, ImageSize2);
            b[OffSlots] = Slots;
            b[OffHome] = Home;
            Put32(b, OffCrc, Crc32.Compute(b, 0, OffCrc));
            return b;
        }

        /// <summary>Decodes a record whose magic and CRC are right (the MAC is not checked here); null otherwise.</summary>
        public static BootStateRecord Decode(byte[] b)
        {
            if (b == null || b.Length < Size || Get32(b, 0) != Magic || Get32(b, OffCrc) != Crc32.Compute(b, 0, OffCrc))
            {
                return null;
            }

            BootStateRecord r = new BootStateRecord();
            r.Seq = Get32(b, OffSeq);
            r.State = b[OffState];
            r.Component = b[OffComponent];
            r.Reason = b[OffReason];
            r.Writer = b[OffWriter];
            r.ImageSectors = Get32(b, OffSectors);
            r.ImageSize = Get32(b, OffSize);
            r.ProgressBase = Get32(b, OffProgress);
            r.ImageSeq = (long)Get64(b, OffImageSeq);
            r.OldSeq = (long)Get64(b, OffOldSeq);
            r.OldDigest = new byte[32];
            System.Array.Copy(b, OffOldDigest, r.OldDigest, 0, 32);
            r.ImageSize2 = Get32(b, OffSize2);
            r.Slots = b[OffSlots];
            r.Home = b[OffHome];
            return r;
        }

        private static void Put32(byte[] b, int o, uint v)
        {
            for (int i = 0; i < 4; i++)
            {
                b[o + i] = (byte)(v >> (8 * i));
            }
        }

        private static void Put64(byte[] b, int o, long v)
        {
            for (int i = 0; i < 8; i++)
            {
                b[o + i] = (byte)(v >> (8 * i));
            }
        }

        private static uint Get32(byte[] b, int o)
        {
            return (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
        }

        private static ulong Get64(byte[] b, int o)
        {
            ulong v = 0;
            for (int i = 7; i >= 0; i--)
            {
                v = (v << 8) | b[o + i];
            }

            return v;
        }
    }
}

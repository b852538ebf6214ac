namespace SecureOta.Drivers.Chip.Commands
{
    /// <summary>OpenApplication (0x70): must follow every reset; AID "GenAuthAppl".</summary>
    public sealed class OpenApplication : ChipCommand
    {
        public const byte Code = 0x70;

        /// <summary>RID D276000004 || PIX "GenAuthAppl".</summary>
        public static readonly byte[] Aid = new byte[] { 0xD2, 0x76, 0x00, 0x00, 0x04, 0x47, 0x65, 0x6E, 0x41, 0x75, 0x74, 0x68, 0x41, 0x70, 0x70, 0x6C };

        /// <summary>Public input: only the answer needs protection (its integrity, and for random bytes their secrecy).</summary>
        public override byte Protection
        {
            get { return PresentationLayer.ProtectResponse; }
        }

        public override byte[] GetBytes()
        {
            return Apdu(Code, 0x00, Aid);
        }
    }
}

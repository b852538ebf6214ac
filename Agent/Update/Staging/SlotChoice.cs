namespace SecureOta.Agent.Update.Staging
{
    /// <summary>
    /// The slot an A/B board's next image of a component goes into (docs/boot-protocol.md, "A/B slots"):
    /// the one that is neither booted nor confirmed. While a new image is under test both are in use and
    /// none is writable; after a recovery boot found by content the boot stage protects both the same way.
    /// </summary>
    public static class SlotChoice
    {
        /// <summary>The component's slot bit in a record or hand-over (bit 0 deploy, bit 1 nanoclr), 0 for another component.</summary>
        public static byte Bit(byte component)
        {
            return component == BootStateRecord.ComponentDeploy ? (byte)1 : component == BootStateRecord.ComponentNanoclr ? (byte)2 : (byte)0;
        }

        /// <summary>The writable slot (0 or 1) of the component, or -1 if none is.</summary>
        public static int Writable(ISlotHandover handover, byte component)
        {
            byte bit = Bit(component);
            if (bit == 0)
            {
                return -1;
            }

            bool homeIsB = (handover.Home & bit) != 0;
            bool bootedIsB = (handover.Booted & bit) != 0;
            if (homeIsB != bootedIsB)
            {
                return -1;
            }

            return homeIsB ? 0 : 1;
        }

        /// <summary>The slot bits a request names: the confirmed slots with this component's flipped.</summary>
        public static byte RequestSlots(ISlotHandover handover, byte component)
        {
            return (byte)(handover.Home ^ Bit(component));
        }
    }
}

using SecureOta.Drivers.Flash;

namespace SecureOta.Agent.Update.Staging
{
    /// <summary>
    /// What the boot stage handed over at this boot on an A/B board (docs/boot-protocol.md, "A/B slots"):
    /// the slots that boot and the slots of the confirmed images, as bits (bit 0 deploy, bit 1 nanoclr;
    /// set = slot 1). On a board the port leaves them in ESP-IDF's RTC retain area for the nanoCLR
    /// (docs/device-build.md); in the host twin they come from the boot decision. The agent writes only
    /// a slot that is neither booted nor confirmed: that is the only one the nanoCLR's interop lets it write.
    /// </summary>
    public interface ISlotHandover
    {
        /// <summary>The slots that boot.</summary>
        byte Booted { get; }

        /// <summary>The slots of the confirmed images.</summary>
        byte Home { get; }

        /// <summary>A component's slot 0 or 1 (BootStateRecord.ComponentDeploy or ComponentNanoclr), or null if the board has none.</summary>
        IFlashArea SlotArea(byte component, int slot);
    }
}

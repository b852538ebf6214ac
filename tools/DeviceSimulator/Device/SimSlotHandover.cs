using SecureOta.Agent.Update.Staging;
using SecureOta.Drivers.Flash;

namespace SecureOta.DeviceSimulator.Device;

/// <summary>
/// An A/B board's hand-over in the simulator (docs/boot-protocol.md, "A/B slots"): the slot bits of the
/// boot decision that started this application, and the board's slot areas (timed as the agent's other
/// flash is). On a board the port leaves the same bits in ESP-IDF's RTC retain area for the nanoCLR.
/// </summary>
public sealed class SimSlotHandover(byte booted, byte home, IFlashArea deploy, IFlashArea deployB, IFlashArea nanoclr, IFlashArea nanoclrB) : ISlotHandover
{
    public byte Booted { get; } = booted;
    public byte Home { get; } = home;

    public IFlashArea? SlotArea(byte component, int slot) => component switch
    {
        BootStateRecord.ComponentDeploy => slot == 0 ? deploy : deployB,
        BootStateRecord.ComponentNanoclr => slot == 0 ? nanoclr : nanoclrB,
        _ => null,
    };
}

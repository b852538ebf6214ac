using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Chip.Commands;

namespace SecureOta.ChipEmu;

/// <summary>
/// The datasheet's bus trace (OPTIGA Trust X datasheet Tables 22-24), reproduced by the real driver
/// against the emulator: I2C_STATE, OpenApplication, GetDataObject(0xE0C2, offset 0, length 0x64).
/// </summary>
public static class TraceScenario
{
    public static (List<string> Lines, ChipResult Uid) Run(ChipState state)
    {
        var clock = new VirtualClock();
        var chip = new SecureOta.ChipEmulator.ChipEmulator(state, clock) { Tracing = true };
        var physical = new PhysicalLayer(chip, clock);
        var link = new DataLinkLayer(physical);
        var transport = new TransportLayer(link);
        physical.ReadRegister(PhysicalLayer.RegI2cState, new byte[4], 4);
        var open = new OpenApplication().GetBytes();
        transport.Exchange(open, open.Length, ChipTiming.ExitTimeoutUs, out _);
        var get = new GetDataObject(0xE0C2, 0, 0x64).GetBytes();
        var response = transport.Exchange(get, get.Length, ChipTiming.ExitTimeoutUs, out int error);
        var uid = response is null ? ChipResult.Fail(error, "no response") : ChipResult.Ok(response[4..]);
        return (chip.Trace, uid);
    }
}

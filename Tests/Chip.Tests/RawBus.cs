using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.I2c;

namespace SecureOta.Chip.Tests;

/// <summary>
/// The emulator driven frame by frame, without the driver: for the data link table rows a well-behaved
/// host never produces (a repeated frame, a stray NAK, a PCTR with channel bits).
/// </summary>
public sealed class RawBus(SecureOta.ChipEmulator.ChipEmulator chip, VirtualClock clock)
{
    public static byte[] Frame(byte fctr, byte[]? packet)
    {
        var frame = new byte[(packet?.Length ?? 0) + 5];
        DataLinkLayer.BuildFrame(fctr, packet, packet?.Length ?? 0, frame);
        return frame;
    }

    public static byte[] Data(int frameNumber, int ackNumber, byte[] packet) => Frame((byte)((frameNumber << 2) | ackNumber), packet);

    public void Send(byte[] frame)
    {
        clock.Advance(100);
        if (chip.Write([0x80, .. frame], 0, frame.Length + 1) != I2cStatus.Ok) throw new InvalidOperationException("NACK");
    }

    /// <summary>I2C_STATE's pending length after waiting waitUs, then that many bytes of DATA (empty when nothing is pending).</summary>
    public byte[] Receive(int waitUs = 200_000)
    {
        clock.Advance(waitUs);
        var state = Register(PhysicalLayer.RegI2cState, 4);
        int length = (state[2] << 8) | state[3];
        return length == 0 ? [] : Register(PhysicalLayer.RegData, length);
    }

    public byte[] Register(byte register, int count)
    {
        chip.Write([register], 0, 1);
        var buffer = new byte[count];
        chip.Read(buffer, 0, count);
        return buffer;
    }

    public void WriteRegister(byte register, params byte[] value) => chip.Write([register, .. value], 0, value.Length + 1);

    public static string Hex(byte[] b) => Convert.ToHexString(b);
}

using System.Net.Sockets;
using SecureOta.Drivers.I2c;

namespace SecureOta.FactoryStation;

/// <summary>
/// The I2C seam over `chip-emu serve`'s line protocol (docs/security-chip.md): one transaction per
/// line on a Unix socket. An `ERR` reply or a dropped connection is a bus error, a `NACK` a NACK.
/// Every read waits at most ReplyTimeout.
/// </summary>
public sealed class BusClient : II2cTransport, IDisposable
{
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);
    private readonly Socket _socket;
    private readonly StreamReader _reader;
    private readonly StreamWriter _writer;
    private readonly string _address;

    public BusClient(string socketPath, byte address = 0x30)
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = (int)ReplyTimeout.TotalMilliseconds };
        _socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        var stream = new NetworkStream(_socket, ownsSocket: false);
        _reader = new StreamReader(stream);
        _writer = new StreamWriter(stream) { NewLine = "\n", AutoFlush = true };
        _address = address.ToString("X2");
    }

    private string? Request(string line)
    {
        try
        {
            _writer.WriteLine(line);
            return _reader.ReadLine();
        }
        catch (IOException)
        {
            return null;
        }
    }

    public I2cStatus Write(byte[] buffer, int offset, int count)
    {
        var reply = Request($"W {_address} {Convert.ToHexString(buffer, offset, count)}");
        return reply == "ACK" ? I2cStatus.Ok : reply == "NACK" ? I2cStatus.Nack : I2cStatus.BusError;
    }

    public I2cStatus Read(byte[] buffer, int offset, int count)
    {
        var reply = Request($"R {_address} {count}");
        if (reply == "NACK") return I2cStatus.Nack;
        if (reply is null || !reply.StartsWith("ACK ") || reply.Length != 4 + 2 * count) return I2cStatus.BusError;
        Convert.FromHexString(reply.AsSpan(4)).CopyTo(buffer.AsSpan(offset, count));
        return I2cStatus.Ok;
    }

    /// <summary>Advances the chip's virtual time (the station's clock sleeps through this).</summary>
    public void Advance(long microseconds) => Request($"TIME +{microseconds}");

    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
        _socket.Dispose();
    }
}

using System.Net;
using System.Net.Sockets;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Chip.Tests.Dtls;

/// <summary>
/// The host's half of the Trust X DTLS client, written for the tests from the host library's layering
/// (optiga/dtls: the host frames records and flights, sends ChangeCipherSpec itself, and has the chip make,
/// take, encrypt and decrypt everything else; X-CMDC for the APDUs): UDP to the server, one handshake
/// message per record, records of epoch 0 in clear and epoch 1 through the chip. Every wait is bounded.
/// A hook may rewrite a server message before the chip takes it (the attacker on the network).
/// </summary>
public sealed class ChipDtlsHost : IDisposable
{
    public const int Session = 0xE100;
    private readonly ChipRig _rig;
    private readonly UdpClient _udp;
    private readonly ushort[] _nextSeq = new ushort[2];
    private readonly Dictionary<byte, byte[]> _received = new();
    private readonly List<byte> _order = new();

    public Func<byte, byte[], byte[]>? Rewrite { get; set; }

    /// <summary>The chip's answer that ended the handshake, if one did.</summary>
    public ChipResult? Refusal { get; private set; }

    public ChipDtlsHost(ChipRig rig, int port)
    {
        _rig = rig;
        _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        _udp.Client.ReceiveTimeout = 5000;
        _udp.Connect(IPAddress.Loopback, port);
    }

    private static byte[] Sid => [Session >> 8, Session & 0xFF];

    // GetMessage until the final fragment; the fragments reassembled into one message with offset 0.
    public ChipResult? Get(byte param, byte[] tlv, out byte[] message)
    {
        message = [];
        byte[]? body = null;
        int type = 0, seq = 0;
        for (int i = 0; i < 16; i++)
        {
            var r = _rig.Raw(0x1A, param, [.. Sid, .. tlv]);
            if (!r.IsOk) return Refusal = r;
            Assert.Equal(0x60, r.Data[0] & 0xF0);
            int len = (r.Data[1] << 8) | r.Data[2];
            Assert.Equal(r.Data.Length - 3, len);
            var f = r.Data[3..];
            int total = (f[1] << 16) | (f[2] << 8) | f[3], offset = (f[6] << 16) | (f[7] << 8) | f[8], fragLen = (f[9] << 16) | (f[10] << 8) | f[11];
            body ??= new byte[total];
            (type, seq) = (f[0], (f[4] << 8) | f[5]);
            f.AsSpan(12, fragLen).CopyTo(body.AsSpan(offset));
            if ((r.Data[0] & 0x0F) == 0x01)
            {
                message = [(byte)type, (byte)(total >> 16), (byte)(total >> 8), (byte)total, (byte)(seq >> 8), (byte)seq, 0, 0, 0, (byte)(total >> 16), (byte)(total >> 8), (byte)total, .. body];
                return null;
            }
        }
        throw new InvalidOperationException("no final fragment");
    }

    public ChipResult Put(byte param, byte[] message) =>
        _rig.Raw(0x1B, param, [.. Sid, 0x61, (byte)(message.Length >> 8), (byte)message.Length, .. message]);

    public ChipResult Encrypt(byte[] headerAndPlaintext) =>
        _rig.Raw(0x1A, 0x61, [.. Sid, 0x61, (byte)(headerAndPlaintext.Length >> 8), (byte)headerAndPlaintext.Length, .. headerAndPlaintext]);

    public ChipResult Decrypt(byte[] record) =>
        _rig.Raw(0x1B, 0x51, [.. Sid, 0x51, (byte)(record.Length >> 8), (byte)record.Length, .. record]);

    private byte[] Header(byte type, int epoch, int length)
    {
        ushort seq = _nextSeq[epoch]++;
        return [type, 0xFE, 0xFD, 0, (byte)epoch, 0, 0, 0, 0, (byte)(seq >> 8), (byte)seq, (byte)(length >> 8), (byte)length];
    }

    private void SendClear(byte type, byte[] payload) => _udp.Send([.. Header(type, 0, payload.Length), .. payload]);

    /// <summary>A record of epoch 1 through the chip's Encrypt.</summary>
    public ChipResult SendProtected(byte type, byte[] payload)
    {
        var r = Encrypt([.. Header(type, 1, payload.Length), .. payload]);
        if (!r.IsOk) return r;
        Assert.Equal(0x51, r.Data[0]);
        _udp.Send(r.Data[3..]);
        return r;
    }

    // Reads datagrams until the message of this type has arrived (a bounded wait).
    private void ReceiveUntil(byte lastType)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!_received.ContainsKey(lastType))
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"no handshake message {lastType:X2} from the server");
            ReceiveDatagram();
        }
    }

    // One datagram (the socket's receive time-out bounds the wait): handshake messages collected, protected
    // records through the chip's Decrypt, an alert reported.
    private void ReceiveDatagram()
    {
        IPEndPoint? from = null;
        var datagram = _udp.Receive(ref from);
        for (int at = 0; at + 13 <= datagram.Length;)
        {
            int len = (datagram[at + 11] << 8) | datagram[at + 12];
            var record = datagram[at..(at + 13 + len)];
            at += 13 + len;
            byte[] payload = record[13..];
            if (record[0] == 20) continue; /* ChangeCipherSpec: the next records are of epoch 1 */
            if (record[4] == 1)
            {
                var d = Decrypt(record);
                Assert.True(d.IsOk, "Decrypt: " + d);
                Assert.Equal(0x61, d.Data[0]);
                payload = d.Data[(3 + 13)..];
            }
            if (record[0] == 21) throw new InvalidOperationException($"alert from the server: {Convert.ToHexString(payload)}");
            if (record[0] == 22) Collect(payload);
        }
    }

    // Handshake messages out of a record payload, fragments reassembled (whole messages kept with offset 0).
    private readonly Dictionary<byte, byte[]> _partial = new();
    private void Collect(byte[] payload)
    {
        for (int at = 0; at + 12 <= payload.Length;)
        {
            var f = payload.AsSpan(at);
            byte type = f[0];
            int total = (f[1] << 16) | (f[2] << 8) | f[3], offset = (f[6] << 16) | (f[7] << 8) | f[8], fragLen = (f[9] << 16) | (f[10] << 8) | f[11];
            if (!_partial.TryGetValue(type, out var whole))
            {
                whole = [type, f[1], f[2], f[3], f[4], f[5], 0, 0, 0, f[1], f[2], f[3], .. new byte[total]];
                _partial[type] = whole;
            }
            f.Slice(12, fragLen).CopyTo(whole.AsSpan(12 + offset));
            if (offset + fragLen == total && !_received.ContainsKey(type))
            {
                _received[type] = whole;
                _order.Add(type);
            }
            at += 12 + fragLen;
        }
    }

    private ChipResult? PutReceived(byte type)
    {
        var message = _received[type];
        if (Rewrite is not null) message = Rewrite(type, message);
        var r = Put(type, message);
        return r.IsOk ? null : Refusal = r;
    }

    /// <summary>The whole handshake; null when it completed, else the chip's refusal.</summary>
    public ChipResult? Handshake(int keyOid, int? certificateOid, uint? unixTime = null)
    {
        var scheme = _rig.Raw(0x10, 0x99, [(byte)(keyOid >> 8), (byte)keyOid, .. Sid]);
        if (!scheme.IsOk) return Refusal = scheme;
        byte[] timeTlv = unixTime is { } t ? ChipRig.Tlv(0x31, [(byte)(t >> 24), (byte)(t >> 16), (byte)(t >> 8), (byte)t]) : [];
        if (Get(0x01, timeTlv, out var hello) is { } e1) return e1;
        SendClear(22, hello);
        // Flight 2 (a HelloVerifyRequest) or 4.
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!_received.ContainsKey(0x03) && !_received.ContainsKey(0x0E))
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("no answer to the ClientHello");
            ReceiveDatagram();
        }
        if (_received.Remove(0x03, out var verify))
        {
            _partial.Clear();
            if (Put(0x03, verify) is { IsOk: false } e2) return Refusal = e2;
            if (Get(0x03, [], out var hello2) is { } e3) return e3;
            SendClear(22, hello2);
        }
        ReceiveUntil(0x0E);
        foreach (byte type in new byte[] { 0x02, 0x0B, 0x0C, 0x0D, 0x0E })
            if (_received.ContainsKey(type) && PutReceived(type) is { } e4) return e4;
        bool requested = _received.ContainsKey(0x0D);
        if (requested)
        {
            byte[] tlv = certificateOid is { } c ? ChipRig.Tlv(0x32, [(byte)(c >> 8), (byte)c]) : [];
            if (Get(0x0B, tlv, out var certificate) is { } e5) return e5;
            SendClear(22, certificate);
        }
        if (Get(0x10, [], out var keyExchange) is { } e6) return e6;
        SendClear(22, keyExchange);
        if (requested && certificateOid is not null)
        {
            if (Get(0x0F, [], out var certificateVerify) is { } e7) return e7;
            SendClear(22, certificateVerify);
        }
        SendClear(20, [1]);
        if (Get(0x14, [], out var finished) is { } e8) return e8;
        if (SendProtected(22, finished) is { IsOk: false } e9) return Refusal = e9;
        _received.Remove(0x14);
        _partial.Remove(0x14);
        ReceiveUntil(0x14);
        return PutReceived(0x14);
    }

    /// <summary>One application-data record from the server, decrypted by the chip (a bounded wait).</summary>
    public byte[] ReceiveApplicationData()
    {
        IPEndPoint? from = null;
        var until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until)
        {
            var datagram = _udp.Receive(ref from);
            for (int at = 0; at + 13 <= datagram.Length;)
            {
                int len = (datagram[at + 11] << 8) | datagram[at + 12];
                var record = datagram[at..(at + 13 + len)];
                at += 13 + len;
                if (record[0] != 23) continue;
                var d = Decrypt(record);
                Assert.True(d.IsOk, "Decrypt: " + d);
                return d.Data[(3 + 13)..];
            }
        }
        throw new TimeoutException("no application data");
    }

    public void Dispose() => _udp.Dispose();
}

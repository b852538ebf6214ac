namespace SecureOta.ChipEmulator.Dtls;

/// <summary>
/// A DTLS handshake message as GetMessage answers it and PutMessage takes it: the 12-byte header (type,
/// length[3], message_seq[2], fragment_offset[3], fragment_length[3]; RFC 6347 section 4.2.2) and the body.
/// The host reassembles fragments before PutMessage (optiga/dtls/DtlsFlightHandler.c), so a message the
/// chip takes is whole: offset 0, fragment length = length.
/// </summary>
public static class HandshakeMessage
{
    public static byte[] Build(byte type, int messageSeq, byte[] body) =>
        [type, .. U24(body.Length), (byte)(messageSeq >> 8), (byte)messageSeq, 0, 0, 0, .. U24(body.Length), .. body];

    /// <summary>The fragments of a message whose body is longer than <paramref name="maxBody"/>, each with its own header.</summary>
    public static List<byte[]> Fragments(byte[] message, int maxBody)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBody, 1);
        int length = ReadU24(message, 1);
        var body = message.AsSpan(DtlsProtocol.HandshakeHeaderLength);
        var result = new List<byte[]>();
        for (int offset = 0; offset < length || result.Count == 0; offset += maxBody)
        {
            int n = Math.Min(maxBody, length - offset);
            result.Add([message[0], .. U24(length), message[4], message[5], .. U24(offset), .. U24(n), .. body.Slice(offset, n)]);
        }
        return result;
    }

    /// <summary>The body of a whole message of the type, or null when the header does not describe exactly this message.</summary>
    public static byte[]? Body(byte[] message, byte type, out int messageSeq)
    {
        messageSeq = -1;
        if (message.Length < DtlsProtocol.HandshakeHeaderLength || message[0] != type) return null;
        int length = ReadU24(message, 1);
        if (ReadU24(message, 6) != 0 || ReadU24(message, 9) != length || message.Length != DtlsProtocol.HandshakeHeaderLength + length) return null;
        messageSeq = (message[4] << 8) | message[5];
        return message.AsSpan(DtlsProtocol.HandshakeHeaderLength).ToArray();
    }

    public static byte[] U24(int v) => [(byte)(v >> 16), (byte)(v >> 8), (byte)v];

    public static int ReadU24(byte[] b, int at) => (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
}

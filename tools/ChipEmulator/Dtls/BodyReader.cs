namespace SecureOta.ChipEmulator.Dtls;

/// <summary>Reads the vectors of a handshake body (RFC 5246 section 4.3); any read past the end fails the whole message.</summary>
public sealed class BodyReader(byte[] body)
{
    private int _at;

    public bool Failed { get; private set; }
    public bool AtEnd => _at == body.Length;

    public byte[] Bytes(int n)
    {
        if (Failed || n < 0 || _at + n > body.Length)
        {
            Failed = true;
            return [];
        }
        var r = body.AsSpan(_at, n).ToArray();
        _at += n;
        return r;
    }

    public int U8() => Bytes(1) is [var b] ? b : -1;

    public int U16() => Bytes(2) is [var a, var b] ? (a << 8) | b : -1;

    public int U24() => Bytes(3) is [var a, var b, var c] ? (a << 16) | (b << 8) | c : -1;

    /// <summary>A vector with a length prefix of 1, 2 or 3 bytes.</summary>
    public byte[] Vector(int lengthBytes) => Bytes(lengthBytes switch { 1 => U8(), 2 => U16(), _ => U24() });
}

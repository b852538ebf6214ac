namespace SecureOta.DiffFuzz;

/// <summary>
/// A CBOR item as it was encoded (RFC 8949, 3): major type, argument and the width it was written
/// with, definite or indefinite length, and for byte strings whose contents are CBOR themselves (SUIT
/// wraps most of the manifest that way) the decoded inner item, so mutations reach inside. Encoding it
/// again gives the original bytes unless a mutation changed something: the fuzzer can then write
/// exactly the non-deterministic forms (long arguments, indefinite lengths) a parser must refuse.
/// </summary>
public sealed class CborNode
{
    public int Major;
    public ulong Argument;          // value, length, count (pairs for maps) or tag number; simple value
    public int Width;               // argument bytes after the initial byte: 0 (in the initial byte), 1, 2, 4, 8
    public bool Indefinite;         // arrays, maps, strings: indefinite length with a break
    public int CountDelta;          // a lying count: the header says Children.Count + CountDelta
    public byte[] Bytes = [];       // string contents (when Inner is null)
    public CborNode? Inner;         // a byte string whose contents are one CBOR item
    public List<CborNode> Children = []; // array items; map keys and values alternating; the tagged item

    public const int MaxDepth = 64;

    public CborNode Clone()
    {
        var c = (CborNode)MemberwiseClone();
        c.Bytes = (byte[])Bytes.Clone();
        c.Inner = Inner?.Clone();
        c.Children = Children.Select(x => x.Clone()).ToList();
        return c;
    }

    public static CborNode Decode(byte[] data) => Decode(data, 0, data.Length);

    public static CborNode Decode(byte[] data, int offset, int count)
    {
        int pos = offset;
        var node = Read(data, ref pos, offset + count, 0);
        if (pos != offset + count) throw new FormatException("trailing bytes");
        return node;
    }

    private static CborNode Read(byte[] d, ref int pos, int end, int depth)
    {
        if (depth > MaxDepth || pos >= end) throw new FormatException("truncated or too deep");
        int initial = d[pos++];
        var n = new CborNode { Major = initial >> 5 };
        int ai = initial & 0x1F;
        if (ai == 31)
        {
            if (n.Major is 0 or 1 or 6) throw new FormatException("indefinite argument");
            if (n.Major == 7) throw new FormatException("break");
            n.Indefinite = true;
            ReadIndefinite(n, d, ref pos, end, depth);
            return n;
        }
        if (ai > 27) throw new FormatException("reserved");
        n.Width = ai < 24 ? 0 : 1 << (ai - 24);
        if (n.Width > end - pos) throw new FormatException("truncated argument");
        n.Argument = ai < 24 ? (ulong)ai : 0;
        for (int i = 0; i < n.Width; i++) n.Argument = (n.Argument << 8) | d[pos++];
        switch (n.Major)
        {
            case 2:
            case 3:
                if (n.Argument > (ulong)(end - pos)) throw new FormatException("truncated string");
                n.Bytes = d[pos..(pos + (int)n.Argument)];
                pos += (int)n.Argument;
                if (n.Major == 2 && n.Bytes.Length > 0) n.Inner = TryDecode(n.Bytes, depth + 1);
                break;
            case 4:
            case 5:
                ulong items = n.Major == 5 ? n.Argument * 2 : n.Argument;
                if (items > (ulong)(end - pos)) throw new FormatException("count larger than the data");
                for (ulong i = 0; i < items; i++) n.Children.Add(Read(d, ref pos, end, depth + 1));
                break;
            case 6:
                n.Children.Add(Read(d, ref pos, end, depth + 1));
                break;
        }
        return n;
    }

    private static void ReadIndefinite(CborNode n, byte[] d, ref int pos, int end, int depth)
    {
        var bytes = new List<byte>();
        while (true)
        {
            if (pos >= end) throw new FormatException("unterminated");
            if (d[pos] == 0xFF) { pos++; break; }
            var item = Read(d, ref pos, end, depth + 1);
            if (n.Major is 2 or 3) bytes.AddRange(item.Bytes.Length > 0 || item.Inner is null ? item.Bytes : item.Inner.Encode());
            else n.Children.Add(item);
        }
        if (n.Major is 2 or 3) n.Bytes = bytes.ToArray();
        if (n.Major == 5 && n.Children.Count % 2 != 0) throw new FormatException("odd map");
        n.Argument = (ulong)(n.Major == 5 ? n.Children.Count / 2 : n.Children.Count);
    }

    private static CborNode? TryDecode(byte[] bytes, int depth)
    {
        try { int p = 0; var inner = Read(bytes, ref p, bytes.Length, depth); return p == bytes.Length ? inner : null; }
        catch (FormatException) { return null; }
    }

    public byte[] Encode()
    {
        var o = new List<byte>();
        Write(o);
        return o.ToArray();
    }

    private void Write(List<byte> o)
    {
        byte[] contents = Major is 2 or 3 ? (Inner is not null ? Inner.Encode() : Bytes) : [];
        if (Indefinite && Major is 2 or 3 or 4 or 5)
        {
            o.Add((byte)((Major << 5) | 31));
            if (Major is 2 or 3)
            {
                // one definite chunk, as the simplest indefinite form
                WriteHead(o, Major, (ulong)contents.Length, 0);
                o.AddRange(contents);
            }
            else foreach (var c in Children) c.Write(o);
            o.Add(0xFF);
            return;
        }
        ulong argument = Major switch
        {
            2 or 3 => (ulong)contents.Length,
            4 => (ulong)Children.Count,
            5 => (ulong)(Children.Count / 2),
            _ => Argument,
        };
        if (Major is 4 or 5) argument = (ulong)Math.Max(0, (long)argument + CountDelta);
        WriteHead(o, Major, argument, Width);
        if (Major is 2 or 3) o.AddRange(contents);
        else foreach (var c in Children) c.Write(o);
    }

    /// <summary>Writes a head with at least the given argument width (0 = shortest form).</summary>
    public static void WriteHead(List<byte> o, int major, ulong argument, int width)
    {
        int need = argument < 24 ? 0 : argument <= 0xFF ? 1 : argument <= 0xFFFF ? 2 : argument <= 0xFFFFFFFF ? 4 : 8;
        if (width < need) width = need;
        if (width == 0) { o.Add((byte)((major << 5) | (int)argument)); return; }
        int ai = width switch { 1 => 24, 2 => 25, 4 => 26, _ => 27 };
        o.Add((byte)((major << 5) | ai));
        for (int i = width - 1; i >= 0; i--) o.Add((byte)(argument >> (8 * i)));
    }

    /// <summary>Every node of the tree (inner items of wrapped byte strings included), for picking a mutation target.</summary>
    public IEnumerable<CborNode> All()
    {
        yield return this;
        if (Inner is not null) foreach (var n in Inner.All()) yield return n;
        foreach (var c in Children) foreach (var n in c.All()) yield return n;
    }

    public static CborNode UInt(ulong v) => new() { Major = 0, Argument = v };
    public static CborNode Int(long v) => v >= 0 ? UInt((ulong)v) : new() { Major = 1, Argument = (ulong)(-1 - v) };
    public static CborNode Bstr(byte[] b) => new() { Major = 2, Bytes = b };
    public static CborNode Tstr(string s) => new() { Major = 3, Bytes = System.Text.Encoding.UTF8.GetBytes(s) };
}

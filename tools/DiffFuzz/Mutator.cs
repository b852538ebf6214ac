namespace SecureOta.DiffFuzz;

/// <summary>
/// Structure-aware mutations of a CBOR tree (the manifest, or the authentication wrapper): values,
/// types, map entries (dropped, duplicated, reordered, added), non-shortest arguments, indefinite
/// lengths, counts that lie, deeper nesting, tags, byte-string contents. Each names what it did, so a
/// disagreement can be read.
/// </summary>
public sealed class Mutator(Random random)
{
    private static readonly ulong[] Interesting =
        [0, 1, 2, 3, 7, 14, 20, 23, 24, 255, 256, 65535, 65536, 0x7FFFFFFF, 0xFFFFFFFF, 0x100000000, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, ulong.MaxValue];

    public string Mutate(CborNode root)
    {
        var nodes = root.All().ToList();
        var n = nodes[random.Next(nodes.Count)];
        switch (random.Next(14))
        {
            case 0:
                if (n.Major is 0 or 1) { n.Argument = Interesting[random.Next(Interesting.Length)]; n.Width = 0; return "integer value " + n.Argument; }
                goto case 1;
            case 1:
                if (n.Major is 0 or 1) { n.Major ^= 1; return "integer sign flipped"; }
                goto case 2;
            case 2:
                Retype(n);
                return "item retyped to major " + n.Major;
            case 3:
                if (Container(n, out var c) && c.Children.Count > 0) { RemoveEntry(c); return "entry removed"; }
                goto case 4;
            case 4:
                if (Container(n, out c) && c.Children.Count > 0) { DuplicateEntry(c); return "entry duplicated"; }
                goto case 5;
            case 5:
                if (Container(n, out c) && c.Children.Count >= (c.Major == 5 ? 4 : 2)) { SwapEntries(c); return "entries swapped"; }
                goto case 6;
            case 6:
                if (n.Major is <= 6 && n.Width < 8) { n.Width = n.Width == 0 ? 1 << random.Next(4) : n.Width * 2; return "argument widened to " + n.Width + " bytes"; }
                goto case 7;
            case 7:
                if (n.Major is 2 or 3 or 4 or 5) { n.Indefinite = true; return "indefinite length"; }
                goto case 8;
            case 8:
                if (n.Major is 4 or 5) { n.CountDelta = random.Next(2) == 0 ? 1 : -1; return "count lies by " + n.CountDelta; }
                goto case 9;
            case 9:
                Nest(n, 1 + random.Next(random.Next(4) == 0 ? 20 : 3));
                return "nested deeper";
            case 10:
                var inner = n.Clone();
                n.Major = 6; n.Argument = (ulong)random.Next(0, 300); n.Width = 0; n.Children = [inner]; n.Inner = null; n.Bytes = [];
                return "tagged " + n.Argument;
            case 11:
                if (n.Major is 2 or 3)
                {
                    n.Inner = null;
                    n.Bytes = RandomBytes(random.Next(4) == 0 ? random.Next(40) : n.Bytes.Length);
                    return "string contents replaced";
                }
                goto case 12;
            case 12:
                if (n.Major == 5) { n.Children.Add(CborNode.Int(random.Next(-30, 40))); n.Children.Add(RandomLeaf()); return "map entry added"; }
                if (n.Major == 4) { n.Children.Insert(random.Next(n.Children.Count + 1), RandomLeaf()); return "array item added"; }
                goto default;
            default:
                var leaf = RandomLeaf();
                Replace(n, leaf);
                return "item replaced by major " + leaf.Major;
        }
    }

    private static bool Container(CborNode n, out CborNode c)
    {
        c = n;
        return n.Major is 4 or 5;
    }

    private void RemoveEntry(CborNode c)
    {
        if (c.Major == 5) { int i = random.Next(c.Children.Count / 2) * 2; c.Children.RemoveRange(i, 2); }
        else c.Children.RemoveAt(random.Next(c.Children.Count));
    }

    private void DuplicateEntry(CborNode c)
    {
        if (c.Major == 5 && c.Children.Count >= 2)
        {
            int i = random.Next(c.Children.Count / 2) * 2;
            c.Children.InsertRange(i, [c.Children[i].Clone(), c.Children[i + 1].Clone()]);
        }
        else if (c.Children.Count > 0)
        {
            int i = random.Next(c.Children.Count);
            c.Children.Insert(i, c.Children[i].Clone());
        }
    }

    private void SwapEntries(CborNode c)
    {
        int step = c.Major == 5 ? 2 : 1;
        int count = c.Children.Count / step;
        int a = random.Next(count) * step, b = random.Next(count) * step;
        for (int k = 0; k < step; k++) (c.Children[a + k], c.Children[b + k]) = (c.Children[b + k], c.Children[a + k]);
    }

    private void Nest(CborNode n, int levels)
    {
        for (int i = 0; i < levels; i++)
        {
            var inner = n.Clone();
            n.Major = 4; n.Width = 0; n.Indefinite = false; n.CountDelta = 0; n.Inner = null; n.Bytes = [];
            n.Children = [inner];
        }
    }

    private void Retype(CborNode n)
    {
        var leaf = random.Next(3) switch
        {
            0 => CborNode.UInt(n.Argument),
            1 => CborNode.Bstr(n.Major is 2 or 3 ? n.Bytes : RandomBytes(16)),
            _ => CborNode.Tstr("deploy"),
        };
        if (n.Major is 4 or 5 && random.Next(2) == 0) { n.Major = n.Major == 4 ? 5 : 4; if (n.Major == 5 && n.Children.Count % 2 == 1) n.Children.Add(CborNode.UInt(0)); return; }
        Replace(n, leaf);
    }

    private static void Replace(CborNode n, CborNode with)
    {
        n.Major = with.Major; n.Argument = with.Argument; n.Width = with.Width; n.Indefinite = false; n.CountDelta = 0;
        n.Bytes = with.Bytes; n.Inner = with.Inner; n.Children = with.Children;
    }

    private CborNode RandomLeaf() => random.Next(6) switch
    {
        0 => CborNode.UInt(Interesting[random.Next(Interesting.Length)]),
        1 => CborNode.Int(-random.Next(1, 40)),
        2 => CborNode.Bstr(RandomBytes(random.Next(33))),
        3 => CborNode.Tstr("x"),
        4 => new CborNode { Major = 7, Argument = (ulong)(20 + random.Next(4)) },
        _ => new CborNode { Major = 4, Children = [CborNode.UInt(1)] },
    };

    private byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        random.NextBytes(b);
        return b;
    }
}

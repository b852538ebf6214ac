using SecureOta.Core.Cose;
using SecureOta.DiffFuzz;
using Xunit;

namespace SecureOta.Fuzz.Tests;

/// <summary>
/// Issue 17, C1 and F1: the forms the attack run found the boot stage (C) accepting while the agent (C#)
/// refused them, and the byte-malleable forms every verifier accepted, each signed with the vendor key so
/// it reaches the parsers; both readers must now refuse each, and accept the canonical data set.
/// </summary>
public sealed class OneParserBehaviourTests(Readers readers) : IClassFixture<Readers>
{
    private void BothRefuse(byte[] header, string what)
    {
        var agent = readers.Agent.Check(header);
        var boot = readers.BootStage.Check(header);
        Assert.False(agent.Ok, what + ": the agent accepted it");
        Assert.False(boot.Ok, what + ": the boot stage accepted it");
    }

    private byte[] Mutated(Action<CborNode> edit)
    {
        var tree = CborNode.Decode(readers.Manifest);
        edit(tree);
        var manifest = tree.Encode();
        Assert.NotEqual(readers.Manifest, manifest);
        return readers.Header(manifest);
    }

    // The manifest map's value for a key (the map alternates keys and values).
    private static CborNode Member(CborNode map, ulong key) =>
        map.Children[map.Children.FindIndex(n => n.Major == 0 && n.Argument == key && map.Children.IndexOf(n) % 2 == 0) + 1];

    [Fact]
    public void TheCanonicalDataSet_IsAcceptedByBoth_WithTheSameFields()
    {
        var header = readers.Header(readers.Manifest);
        var agent = readers.Agent.Check(header);
        var boot = readers.BootStage.Check(header);
        Assert.True(agent.Ok, agent.ToString());
        Assert.True(boot.Ok, boot.ToString());
        Assert.True(agent.SameAs(boot), $"{agent} vs {boot}");
    }

    [Fact]
    public void AFirmwareDependency_IsAcceptedByBoth_AndEveryOtherFormOfIt_RefusedByBoth()
    {
        // v7-requires.suit: the application of v7.suit requiring nanoCLR 1.12.0 (docs/data-set-format.md 1c)
        var (manifest, payloadKey, payloadLength) = readers.Seed("v7-requires.suit");
        Assert.Equal((readers.PayloadKey, readers.PayloadLength), (payloadKey, payloadLength));
        var header = readers.Header(manifest);
        var agent = readers.Agent.Check(header);
        var boot = readers.BootStage.Check(header);
        Assert.True(agent.Ok, agent.ToString());
        Assert.True(boot.Ok, boot.ToString());
        Assert.True(agent.SameAs(boot), $"{agent} vs {boot}");
        byte[] match = [0x46, 0x82, 0x02, 0x83, 0x01, 0x0C, 0x00]; /* << [greater-equal, [1, 12, 0]] >> */
        int at = manifest.AsSpan().IndexOf(match);
        Assert.True(at > 0, "the version match is where the builder writes it");
        byte[] With(int offset, byte value) { var m = (byte[])manifest.Clone(); m[at + offset] = value; return m; }
        BothRefuse(readers.Header(With(2, 0x05)), "comparison lesser instead of greater-equal");
        BothRefuse(readers.Header(With(2, 0x03)), "comparison equal");
        BothRefuse(readers.Header(With(6, 0x20)), "a negative (pre-release) version part");
        int name = manifest.AsSpan().LastIndexOf("nanoclr"u8);
        Assert.True(name > 0);
        var renamed = (byte[])manifest.Clone();
        renamed[name + 6] = (byte)'x';
        BothRefuse(readers.Header(renamed), "the dependency on a component that is not the firmware");
    }

    [Fact]
    public void AnIntegerWhereAByteStringBelongs_IsRefused() =>
        // the common member (3) is a bstr; the C reader used to read integers for several members
        BothRefuse(Mutated(m => { var v = Member(m, 3); v.Major = 0; v.Inner = null; v.Argument = 7; }), "integer common");

    [Fact]
    public void AMapCountThatLies_IsRefused() =>
        BothRefuse(Mutated(m => Member(m, 3).Inner!.CountDelta = 1), "common map says one pair more");

    [Fact]
    public void IndefiniteLengths_AreRefused() =>
        BothRefuse(Mutated(m => Member(m, 3).Inner!.Indefinite = true), "indefinite common map");

    [Fact]
    public void NestingDeeperThanSixteen_IsRefused() =>
        BothRefuse(Mutated(m =>
        {
            var text = Member(m, 23).Inner!;
            var node = text;
            for (int i = 0; i < 20; i++) node = new CborNode { Major = 4, Children = [node] };
            Member(m, 23).Inner = node;
        }), "text nested 20 deep");

    [Fact]
    public void TheLargestSequenceNumber_IsRefused() =>
        // 2^64-1 would have burnt the anti-rollback counter for good
        BothRefuse(Mutated(m => { var v = Member(m, 2); v.Argument = ulong.MaxValue; v.Width = 0; }), "sequence 2^64-1");

    [Fact]
    public void ADependency_IsRefused() =>
        // suit-dependencies (common member 1, draft-ietf-suit-trust-domains): our profile trusts nothing
        // outside the one signed data set, so a manifest naming a dependency is not installable
        // (docs/threats.md, "Extraneous dependencies").
        BothRefuse(Mutated(m => Member(m, 3).Inner!.Children.InsertRange(0,
            [new CborNode { Major = 0, Argument = 1 }, new CborNode { Major = 5 }])), "common with suit-dependencies");

    [Fact]
    public void ANonShortestArgument_IsRefused() =>
        BothRefuse(Mutated(m => Member(m, 2).Width = 8), "sequence number in 8 bytes");

    [Fact]
    public void AnUnprotectedKid_IsRefused()
    {
        var header = Build(sign1 => sign1.Children[0].Children[1].Children.AddRange([CborNode.UInt(4), CborNode.Bstr([1, 2, 3])]));
        BothRefuse(header, "kid in the unprotected header");
    }

    [Fact]
    public void ASecondSignature_IsRefused()
    {
        var tree = AuthTree(out var rest);
        tree.Children.Add(tree.Children[1].Clone());
        BothRefuse(Reassemble(tree, rest), "two signatures");
    }

    [Fact]
    public void AHighSSignature_IsRefused_AndItsLowSTwinAccepted()
    {
        var low = readers.Builder.Signature(readers.Manifest);
        Assert.True(Es256Signature.IsLowS(low));
        var high = Build(sign1 => sign1.Children[0].Children[3].Bytes = Es256Signature.WithNegatedS(low));
        BothRefuse(high, "s replaced by n - s");
        // the builder turns a high s back into the low one, which verifies with the same key
        Assert.Equal(low, Es256Signature.ToLowS(Es256Signature.WithNegatedS(low)));
        Assert.True(readers.Agent.Check(readers.Header(readers.Manifest)).Ok);
    }

    [Fact]
    public void AShortDifferentialRun_Agrees()
    {
        var random = new Random(17);
        var mutator = new Mutator(random);
        int both = 0;
        for (int i = 0; i < 400; i++)
        {
            var tree = CborNode.Decode(readers.Manifest);
            mutator.Mutate(tree);
            var manifest = tree.Encode();
            var header = readers.Builder.Build(manifest, readers.Builder.Signature(manifest), readers.PayloadKey, readers.PayloadLength, null, out _);
            var agent = readers.Agent.Check(header);
            var boot = readers.BootStage.Check(header);
            Assert.True(agent.SameAs(boot), $"run {i}: agent {agent}, boot stage {boot}");
            if (agent.Ok) both++;
        }
        Assert.True(both > 0, "no mutated data set was accepted by both: the run only explored refusals");
    }

    private byte[] Build(Action<CborNode> editSign1)
    {
        var tree = AuthTree(out var rest);
        editSign1(tree.Children[1].Inner!);
        return Reassemble(tree, rest);
    }

    // The authentication wrapper of the canonical header as a tree (its second item's inner is the
    // COSE_Sign1), and the bytes after it.
    private CborNode AuthTree(out byte[] rest)
    {
        var header = readers.Header(readers.Manifest);
        // 107(map(3)) = d8 6b a3, then 02 and the auth bstr
        int pos = 4;
        var authBstr = ReadOne(header, ref pos);
        rest = header[pos..];
        return authBstr.Inner!;
    }

    private static byte[] Reassemble(CborNode auth, byte[] rest)
    {
        var o = new List<byte> { 0xD8, 0x6B, 0xA3, 0x02 };
        o.AddRange(new CborNode { Major = 2, Inner = auth }.Encode());
        o.AddRange(rest);
        return o.ToArray();
    }

    private static CborNode ReadOne(byte[] data, ref int pos)
    {
        // a definite bstr head, then its contents
        int ai = data[pos] & 0x1F;
        int width = ai < 24 ? 0 : 1 << (ai - 24);
        ulong len = ai < 24 ? (ulong)ai : 0;
        for (int i = 0; i < width; i++) len = (len << 8) | data[pos + 1 + i];
        int start = pos + 1 + width;
        var node = CborNode.Decode(data, pos, start - pos + (int)len);
        pos = start + (int)len;
        return node;
    }
}

using SecureOta.Core.Cbor;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;
using Xunit;

namespace SecureOta.Suit.Tests;

/// <summary>
/// suit-text with its language level (manifest-37, 8.4.4: SUIT_Text_Map = { + tag38-ltag => SUIT_Text_LMap },
/// issue 13): the builder writes { "en" => { [component] => {...} } }; the reader chooses "en", else the
/// first "en-..." tag, else the first tag, and refuses a text map without the language level.
/// </summary>
public sealed class TextMapTests
{
    private static SuitManifestSpec Spec() => new()
    {
        SequenceNumber = 5, Component = "deploy", VendorId = new byte[16], ClassId = new byte[16],
        ImageDigest = new byte[32], ImageSize = 10, Version = "1.2.3", VendorDomain = "vendor.example", PayloadKey = "#image",
    };

    // The manifest with its text member (the last one) replaced by these text-map bytes.
    private static SuitManifest ParseWithText(byte[] textMap)
    {
        var manifest = SuitBuilder.BuildManifest(Spec());
        var original = new CborWriter();
        original.WriteByteString(BuilderText());
        var head = manifest[..(manifest.Length - original.ToArray().Length)];
        var text = new CborWriter();
        text.WriteByteString(textMap);
        var changed = head.Concat(text.ToArray()).ToArray();
        using var sha = new DotNetSha256();
        var header = SuitBuilder.BuildEnvelopeHeader(sha, changed, new byte[64], "#image", 10);
        Assert.True(SuitEnvelopeReader.Read(header, header.Length, -1, out var envelope).IsOk);
        var parsed = SuitManifestParser.Parse(envelope, sha);
        Assert.True(parsed.IsOk, parsed.ToString());
        return envelope.Manifest;
    }

    private static byte[] BuilderText()
    {
        var m = SuitBuilder.BuildManifest(Spec());
        // text is the manifest's last member: key 23, then a bstr to the end
        var r = new CborReader(m, 0, m.Length);
        int pairs = r.ReadMapHeader();
        for (int i = 0; i < pairs - 1; i++) { r.SkipItem(); r.SkipItem(); }
        Assert.Equal(23, r.ReadInt32());
        return r.ReadByteStringCopy(4096);
    }

    private static byte[] Languages(params (string Tag, string Version)[] langs)
    {
        var w = new CborWriter();
        w.WriteMapHeader(langs.Length);
        foreach (var (tag, version) in langs)
        {
            w.WriteTextString(tag);
            w.WriteMapHeader(1);
            w.WriteArrayHeader(1);
            w.WriteByteString(Utf8.Encode("deploy"));
            w.WriteMapHeader(1);
            w.WriteInt64(SuitLabels.TextComponentVersion);
            w.WriteTextString(version);
        }
        return w.ToArray();
    }

    [Fact]
    public void TheBuilder_WritesTheLanguageLevel()
    {
        var r = new CborReader(BuilderText(), 0, BuilderText().Length);
        Assert.Equal(1, r.ReadMapHeader());
        Assert.Equal("en", r.ReadTextString(16));
        Assert.Equal(CborType.Map, r.PeekMajorType());
    }

    [Fact]
    public void TheBuildersText_ReadsBack() => Assert.Equal("1.2.3", ParseWithText(BuilderText()).TextVersion);

    [Fact]
    public void En_IsChosenOverOtherLanguages() => Assert.Equal("1", ParseWithText(Languages(("de", "2"), ("en", "1"), ("en-US", "3"))).TextVersion);

    [Fact]
    public void AnEnglishRegionalTag_IsChosenWithoutEn() => Assert.Equal("3", ParseWithText(Languages(("de", "2"), ("en-US", "3"))).TextVersion);

    [Fact]
    public void OtherwiseTheFirstLanguage_IsRead() => Assert.Equal("2", ParseWithText(Languages(("de", "2"), ("fr", "4"))).TextVersion);

    [Fact]
    public void ATextMapWithoutTheLanguageLevel_IsRefused()
    {
        // the shape update-tool wrote before (issue 13): { [component] => {...} }
        var w = new CborWriter();
        w.WriteMapHeader(1);
        w.WriteArrayHeader(1);
        w.WriteByteString(Utf8.Encode("deploy"));
        w.WriteMapHeader(1);
        w.WriteInt64(SuitLabels.TextComponentVersion);
        w.WriteTextString("1.2.3");
        var manifest = SuitBuilder.BuildManifest(Spec());
        var original = new CborWriter();
        original.WriteByteString(BuilderText());
        var head = manifest[..(manifest.Length - original.ToArray().Length)];
        var text = new CborWriter();
        text.WriteByteString(w.ToArray());
        using var sha = new DotNetSha256();
        var header = SuitBuilder.BuildEnvelopeHeader(sha, head.Concat(text.ToArray()).ToArray(), new byte[64], "#image", 10);
        Assert.True(SuitEnvelopeReader.Read(header, header.Length, -1, out var envelope).IsOk);
        Assert.Equal(SuitError.Malformed, SuitManifestParser.Parse(envelope, sha).Error);
    }
}

using SecureOta.Agent.Update.Api;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>The device's strict JSON subset.</summary>
public sealed class JsonTests
{
    [Fact]
    public void ReadsTheCheckInAnswer()
    {
        var j = Json.Parse("{ \"token\" : \"a\\\"b\\u0041\", \"pollSeconds\":60, \"ok\":true, \"update\":{\"size\":-5,\"url\":\"http://x\"} }")!;
        Assert.Equal("a\"bA", j.String("token"));
        Assert.Equal(60, j.Integer("pollSeconds", 0));
        Assert.Equal(-5, j.Object("update")!.Integer("size", 0));
        Assert.Equal("http://x", j.Object("update")!.String("url"));
        Assert.Null(j.Object("token"));
        Assert.Equal(7, j.Integer("token", 7));
    }

    [Fact]
    public void KeepsSupplementaryPlaneCharactersInStrings()
    {
        // The parser reads ToCharArray() code units (the nanoCLR's string indexer returns the high
        // surrogate for both halves); the literal and the \u escape pair give the same text.
        var j = Json.Parse("{\"a\":\"x\U0001F680y\",\"b\":\"\\ud83d\\ude80\",\"true\":true}")!;
        Assert.Equal("x\U0001F680y", j.String("a"));
        Assert.Equal("\U0001F680", j.String("b"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":1 \"b\":2}")]
    [InlineData("{\"a\":1}x")]
    [InlineData("{\"a\":01}")]
    [InlineData("{\"a\":1.5}")]
    [InlineData("{\"a\":\"\\x\"}")]
    [InlineData("{\"a\":\"unterminated}")]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}")]
    [InlineData("{\"a\":1234567890123456789}")]
    [InlineData("{\"a\":\"\u0001\"}")]
    public void RefusesWhatItDoesNotUnderstand(string text) => Assert.Null(Json.Parse(text));

    [Fact]
    public void RefusesOversizedDocuments() => Assert.Null(Json.Parse("{\"a\":\"" + new string('x', Json.MaxDocument) + "\"}"));

    [Fact]
    public void QuotesWhatItWrites()
    {
        var text = "a\"b\\c\nd\u0001";
        Assert.Equal("\"a\\\"b\\\\c\\nd\\u0001\"", JsonText.Quote(text));
        Assert.Equal(text, Json.Parse("{\"v\":" + JsonText.Quote(text) + "}")!.String("v"));
    }

    [Fact]
    public void HexRoundTrips_AndRefusesTheWrongLength()
    {
        var bytes = new byte[] { 0, 1, 0xAB, 0xFF };
        Assert.Equal("0001abff", Hex.Encode(bytes));
        Assert.Equal(bytes, Hex.Decode("0001ABff", 4));
        Assert.Null(Hex.Decode("0001abff", 3));
        Assert.Null(Hex.Decode("0001abfg", 4));
    }
}

using SecureOta.DeviceSimulator.Device;
using Xunit;

namespace SecureOta.Agent.Tests;

/// <summary>bootsim's --stats line is read exactly, and anything else is not taken for it.</summary>
public class BootStatsTests
{
    [Fact]
    public void TheStatsLine_IsRead()
    {
        Assert.Equal(new BootStats(1, 2, 266240, 262144, 1), BootStats.Parse("flash: erases=1 pages=2 read=266240 hashed=262144 signatures=1"));
    }

    [Theory]
    [InlineData("boot: installed deploy seq=7 (testing)")]
    [InlineData("flash: erases=1 pages=2 read=266240 hashed=262144")]
    [InlineData("flash: erases=1 pages=x read=266240 hashed=262144 signatures=1")]
    [InlineData("flash: erases=-1 pages=2 read=266240 hashed=262144 signatures=1")]
    [InlineData("flash: erases=1=2 pages=2 read=266240 hashed=262144 signatures=1")]
    [InlineData("")]
    public void AnythingElse_IsNot(string line)
    {
        Assert.Null(BootStats.Parse(line));
    }
}

using SecureOta.Core.Suit;
using SecureOta.UpdateTool.Keys;
using Xunit;

namespace SecureOta.Suit.Tests;

public sealed class Uuid5Tests
{
    [Fact]
    public void VendorIdOfArmCom_IsTheDraftExamplesVendorId()
    {
        // draft-ietf-suit-manifest's examples use vendor-id = UUID5(DNS, "arm.com").
        Assert.Equal("fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe", Uuid.Format(Uuid5.Create(Uuid5.DnsNamespace, "arm.com")));
    }

    [Fact]
    public void Parse_RejectsWhatIsNotAUuid()
    {
        Assert.Throws<SecureOta.UpdateTool.UserError>(() => Uuid5.Parse("not-a-uuid"));
        Assert.Equal(16, Uuid5.Parse("fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe").Length);
    }
}

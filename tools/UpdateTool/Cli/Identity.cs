using SecureOta.UpdateTool.Keys;

namespace SecureOta.UpdateTool.Cli;

/// <summary>Resolves vendor-id and class-id from either a UUID or a name (UUIDv5, as the SUIT draft recommends).</summary>
public static class Identity
{
    public static (byte[] Id, string? Domain) Vendor(string? uuid, string? domain)
    {
        if ((uuid is null) == (domain is null))
            throw new UserError("give exactly one of --vendor-id UUID or --vendor-domain DOMAIN");
        return uuid is not null ? (Uuid5.Parse(uuid), null) : (Uuid5.Create(Uuid5.DnsNamespace, domain!), domain);
    }

    public static (byte[] Id, string? Name) Class(byte[] vendorId, string? uuid, string? name)
    {
        if ((uuid is null) == (name is null))
            throw new UserError("give exactly one of --class-id UUID or --class-name NAME");
        return uuid is not null ? (Uuid5.Parse(uuid), null) : (Uuid5.Create(vendorId, name!), name);
    }
}

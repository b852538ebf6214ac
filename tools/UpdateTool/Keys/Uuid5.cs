using System.Security.Cryptography;
using System.Text;

namespace SecureOta.UpdateTool.Keys;

/// <summary>
/// Name-based UUIDs, version 5 (RFC 4122, 4.3; SHA-1), as draft-ietf-suit-manifest recommends:
/// vendor-id = UUID5(DNS namespace, vendor domain), class-id = UUID5(vendor-id, class name).
/// Bytes are in network order, as SUIT carries them.
/// </summary>
public static class Uuid5
{
    /// <summary>The DNS namespace 6ba7b810-9dad-11d1-80b4-00c04fd430c8 (RFC 4122, appendix C).</summary>
    public static readonly byte[] DnsNamespace = Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

    public static byte[] Create(byte[] namespaceId, string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        namespaceId.CopyTo(input, 0);
        Encoding.UTF8.GetBytes(name, 0, name.Length, input, 16);
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 version 5 is defined with; no security rests on it.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        var uuid = hash[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50); // version 5
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // RFC 4122 variant
        return uuid;
    }

    /// <summary>Parses "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (or 32 hex digits) into network-order bytes.</summary>
    public static byte[] Parse(string text)
    {
        var hex = text.Replace("-", "", StringComparison.Ordinal);
        if (hex.Length != 32 || !hex.All(Uri.IsHexDigit))
            throw new UserError($"'{text}' is not a UUID (expected 8-4-4-4-12 hex digits)");
        return Convert.FromHexString(hex);
    }
}

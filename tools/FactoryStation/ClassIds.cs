namespace SecureOta.FactoryStation;

/// <summary>A class id given as 32 hex digits or as a UUID (16 bytes, big-endian as update-tool writes it).</summary>
public static class ClassIds
{
    public static byte[] Parse(string text)
    {
        var hex = text.Replace("-", "");
        if (hex.Length != 32) throw new FormatException($"class id '{text}': 32 hex digits or a UUID");
        return Convert.FromHexString(hex);
    }
}

using System.Security.Cryptography;
using System.Text;

namespace SecureOta.UpdateTool.Keys;

/// <summary>
/// The update master secret the vendor holds and each device's security chip holds (docs/data-set-format.md,
/// "Key derivation"): 16..64 bytes (the chip uses at most 64), stored raw, or as hex text.
/// </summary>
public static class MasterSecretFile
{
    public static byte[] Read(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: no such master-secret file");
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.ASCII.GetString(bytes).Trim();
        if (text.Length >= 32 && text.Length % 2 == 0 && text.All(Uri.IsHexDigit))
            bytes = Convert.FromHexString(text);
        if (bytes.Length is < 16 or > 64)
            throw new UserError($"{path}: master secret is {bytes.Length} bytes; 16..64 bytes (raw, or as hex text) are required");
        return bytes;
    }

    public static void WriteNew(string path, int length = 32)
    {
        File.WriteAllText(path, Convert.ToHexString(RandomNumberGenerator.GetBytes(length)).ToLowerInvariant() + "\n");
        KeyFiles.TryRestrictToOwner(path);
    }
}

using System.Security.Cryptography;

namespace SecureOta.UpdateTool.Keys;

/// <summary>
/// Reads and writes the vendor's P-256 keys as PEM: PKCS#8 private keys ("PRIVATE KEY", what keygen
/// writes and `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256` makes), SEC1 private
/// keys ("EC PRIVATE KEY", possibly after an "EC PARAMETERS" block, what `openssl ecparam -genkey`
/// makes), and SubjectPublicKeyInfo public keys ("PUBLIC KEY"). Anything else is refused with a
/// message that says what was found and what is needed.
/// </summary>
public static class KeyFiles
{
    private const string P256Oid = "1.2.840.10045.3.1.7";

    public static ECDsa ReadPrivateKey(string path)
    {
        var ecdsa = Import(path, "EC private key", "a P-256 key in PEM (PKCS#8 'PRIVATE KEY' or SEC1 'EC PRIVATE KEY')");
        try
        {
            ecdsa.ExportParameters(includePrivateParameters: true);
        }
        catch (CryptographicException)
        {
            ecdsa.Dispose();
            throw new UserError($"{path}: holds a public key only; signing needs the private key (for an HSM, use 'create --unsigned' and 'sign')");
        }
        return ecdsa;
    }

    /// <summary>Reads a public key; a private key file is accepted too (its public half is used).</summary>
    public static ECDsa ReadPublicKey(string path)
    {
        var ecdsa = Import(path, "EC public key", "a P-256 'PUBLIC KEY' PEM");
        var publicOnly = ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false));
        ecdsa.Dispose();
        return publicOnly;
    }

    private static ECDsa Import(string path, string what, string expected)
    {
        var pem = ReadPem(path);
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            throw new UserError($"{path}: not a usable {what} ({Describe(pem)}); expected {expected}");
        }
        RequireP256(ecdsa, path);
        return ecdsa;
    }

    public static void WriteKeyPair(ECDsa key, string privatePath, string publicPath)
    {
        File.WriteAllText(privatePath, key.ExportPkcs8PrivateKeyPem() + "\n");
        TryRestrictToOwner(privatePath);
        File.WriteAllText(publicPath, key.ExportSubjectPublicKeyInfoPem() + "\n");
    }

    public static void TryRestrictToOwner(string path)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static string ReadPem(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: no such key file");
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new UserError($"{path}: cannot read the key file: {e.Message}");
        }
        if (!text.Contains("-----BEGIN ", StringComparison.Ordinal))
            throw new UserError($"{path}: not a PEM file (no '-----BEGIN' line); keys are expected in PEM form");
        return text;
    }

    private static void RequireP256(ECDsa key, string path)
    {
        var curve = key.ExportParameters(false).Curve;
        var name = curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "explicit parameters";
        if (curve.Oid?.Value != P256Oid && name is not ("nistP256" or "ECDSA_P256" or "secp256r1" or "prime256v1"))
        {
            key.Dispose();
            throw new UserError($"{path}: key is on curve {name}; ES256 needs P-256 (prime256v1/secp256r1)");
        }
    }

    private static string Describe(string pem)
    {
        var start = pem.IndexOf("-----BEGIN ", StringComparison.Ordinal);
        if (start < 0) return "no PEM block";
        var end = pem.IndexOf("-----", start + 11, StringComparison.Ordinal);
        return end < 0 ? "a malformed PEM block" : "found '" + pem[(start + 11)..end] + "'";
    }
}

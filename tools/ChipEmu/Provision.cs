using System.Security.Cryptography;
using SecureOta.ChipEmulator;

namespace SecureOta.ChipEmu;

/// <summary>
/// chip-emu provision: a chip as the secure factory leaves it (ChipState.Provision / ProvisionTrustX).
/// A Trust M takes the update master secret (and, if given, the class key-agreement key); a Trust X
/// takes the class key-agreement key, which stands for the chip maker's personalisation: a real
/// Trust X cannot import a private key.
/// </summary>
public static class Provision
{
    public static int Run(string? output, string? vendorPub, string partName, string? masterSecretFile, string? classKeyFile, string usage)
    {
        if (output is null || vendorPub is null) { Console.Error.WriteLine(usage); return 1; }
        var part = ChipPart.Named(partName);
        if (part == ChipPart.TrustM && masterSecretFile is null) { Console.Error.WriteLine("chip-emu provision: a trust-m needs --master-secret FILE (the update master secret, hex)"); return 1; }
        if (part == ChipPart.TrustX && classKeyFile is null) { Console.Error.WriteLine("chip-emu provision: a trust-x needs --class-key PEM (the class's key-agreement key; a Trust X has no master secret)"); return 1; }
        if (part == ChipPart.TrustX && masterSecretFile is not null) { Console.Error.WriteLine("chip-emu provision: a trust-x has no PRESSEC object for --master-secret; give --class-key only"); return 1; }
        using var vendor = ECDsa.Create();
        vendor.ImportFromPem(File.ReadAllText(vendorPub));
        var anchor = ChipState.TrustAnchorCertificate(vendor);
        byte[]? classKey = null;
        if (classKeyFile is not null)
        {
            using var k = ECDiffieHellman.Create();
            k.ImportFromPem(File.ReadAllText(classKeyFile));
            classKey = k.ExportPkcs8PrivateKey();
        }
        var state = part == ChipPart.TrustX
            ? ChipState.ProvisionTrustX(anchor, classKey!)
            : ChipState.Provision(anchor, Convert.FromHexString(File.ReadAllText(masterSecretFile!).Trim()), classKeyPkcs8: classKey);
        state.Save(output);
        Console.WriteLine($"chip-emu: provisioned and locked {output} ({part.Name})");
        return 0;
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.ChipEmu;
using SecureOta.ChipEmulator;

// chip-emu: the OPTIGA Trust X-style chip emulator's command line (docs/security-chip.md).
//   chip-emu trace                                   the datasheet bus trace, through the real driver
//   chip-emu provision --out STATE.json --vendor-pub VENDOR.pub.pem --master-secret MASTER.hex
//                                                    a chip as the secure factory leaves it, locked
//   chip-emu show STATE.json                         the objects and their metadata
const string Usage = "usage: chip-emu trace | provision --out STATE.json --vendor-pub PEM --master-secret FILE | show STATE.json";
try
{
    switch (args.FirstOrDefault())
    {
        case "trace":
            var (lines, uid) = TraceScenario.Run(ChipState.Factory(ChipPart.TrustX));
            foreach (var line in lines) Console.WriteLine(line);
            return uid.IsOk ? 0 : 1;
        case "provision":
            string? Opt(string name) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
            var output = Opt("--out"); var pub = Opt("--vendor-pub"); var secretFile = Opt("--master-secret");
            if (output is null || pub is null || secretFile is null) { Console.Error.WriteLine(Usage); return 1; }
            using (var vendor = ECDsa.Create())
            {
                vendor.ImportFromPem(File.ReadAllText(pub));
                var text = File.ReadAllText(secretFile).Trim();
                var state = ChipState.Provision(ChipState.TrustAnchorCertificate(vendor), Convert.FromHexString(text));
                state.Save(output);
            }
            Console.WriteLine($"chip-emu: provisioned and locked {output}");
            return 0;
        case "show":
            if (args.Length < 2) { Console.Error.WriteLine(Usage); return 1; }
            var loaded = ChipState.Load(args[1]);
            foreach (var o in loaded.Objects.Values.OrderBy(o => o.Oid))
                Console.WriteLine($"{o.Oid:X4}  {o.Data.Length,5} bytes  metadata {Convert.ToHexString(o.Metadata())}");
            return 0;
        default:
            Console.Error.WriteLine(Usage);
            return 1;
    }
}
catch (Exception e) when (e is IOException or FormatException or CryptographicException or ArgumentException or InvalidDataException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine($"chip-emu: error: {e.Message}");
    return 2;
}

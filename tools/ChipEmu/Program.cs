using System.Net.Sockets;
using System.Security.Cryptography;
using SecureOta.ChipEmu;
using SecureOta.ChipEmulator;

// chip-emu: the OPTIGA Trust X / Trust M emulator's command line (docs/security-chip.md).
//   chip-emu trace                                   the datasheet bus trace, through the real driver
//   chip-emu provision --out STATE.json --vendor-pub VENDOR.pub.pem [--part trust-m|trust-x]
//            [--master-secret MASTER.hex] [--class-key CLASS.key.pem]
//                                                    a chip as the secure factory leaves it, locked
//   chip-emu factory --out STATE.json [--part trust-m|trust-x] [--class-key PEM]
//                                                    a chip as it leaves the chip maker, for factory-station
//   chip-emu show STATE.json                         the objects and their metadata
//   chip-emu serve --state STATE.json [--socket PATH] [--address 30] [--clock virtual|wall] [--fault NAME=N]... [--trace-apdu]
//                                                    the chip as an I2C bus for any host stack
const string Usage = "usage: chip-emu trace | factory --out STATE.json [--part P] [--class-key PEM] | provision --out STATE.json --vendor-pub PEM [--part trust-m|trust-x] [--master-secret FILE] [--class-key PEM] | show STATE.json"
    + " | serve --state STATE.json [--socket PATH] [--address 30] [--clock virtual|wall] [--fault NAME=N]... [--trace-apdu]";
string? Opt(string name) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
try
{
    switch (args.FirstOrDefault())
    {
        case "trace":
            var (lines, uid) = TraceScenario.Run(ChipState.Factory(ChipPart.TrustX));
            foreach (var line in lines) Console.WriteLine(line);
            return uid.IsOk ? 0 : 1;
        case "provision":
            return Provision.Run(Opt("--out"), Opt("--vendor-pub"), Opt("--part") ?? ChipPart.TrustMName, Opt("--master-secret"), Opt("--class-key"), Usage);
        case "factory":
            var factoryOut = Opt("--out");
            if (factoryOut is null) { Console.Error.WriteLine(Usage); return 1; }
            var factoryPart = ChipPart.Named(Opt("--part") ?? ChipPart.TrustMName);
            byte[]? personalised = null;
            if (Opt("--class-key") is { } classPem)
            {
                using var k = ECDiffieHellman.Create();
                k.ImportFromPem(File.ReadAllText(classPem));
                personalised = k.ExportPkcs8PrivateKey();
            }
            ChipState.Factory(factoryPart, personalised).Save(factoryOut);
            Console.WriteLine($"chip-emu: a {factoryPart.Name} as it leaves the chip maker{(personalised is null ? "" : ", class key in E0F1")}: {factoryOut}");
            return 0;
        case "show":
            if (args.Length < 2) { Console.Error.WriteLine(Usage); return 1; }
            var loaded = ChipState.Load(args[1]);
            Console.WriteLine($"part {loaded.Part.Name}");
            foreach (var o in loaded.Objects.Values.OrderBy(o => o.Oid))
                Console.WriteLine($"{o.Oid:X4}  {o.Data.Length,5} bytes  metadata {Convert.ToHexString(o.Metadata(loaded.Part.HasTrustMObjects))}");
            return 0;
        case "serve":
            var statePath = Opt("--state");
            if (statePath is null) { Console.Error.WriteLine("chip-emu serve: --state STATE.json is required (make one with chip-emu provision)"); return 1; }
            var clock = Opt("--clock") ?? "virtual";
            if (clock is not ("virtual" or "wall")) { Console.Error.WriteLine("chip-emu serve: --clock is virtual or wall"); return 1; }
            var addressText = Opt("--address") ?? "30";
            if (!byte.TryParse(addressText, System.Globalization.NumberStyles.HexNumber, null, out byte address) || address > 0x7F)
            { Console.Error.WriteLine($"chip-emu serve: --address {addressText} is not a 7-bit hexadecimal address"); return 1; }
            var server = new BusServer(ChipState.Load(statePath), statePath, address, clock == "wall");
            if (args.Contains("--trace-apdu")) server.TraceApdus(Console.Error);
            for (int i = 0; i < args.Length - 1; i++)
            {
                if (args[i] != "--fault") continue;
                var kv = args[i + 1].Split('=');
                if (kv.Length != 2 || !int.TryParse(kv[1], out int n) || n < 0 || !server.Arm(kv[0], n))
                { Console.Error.WriteLine($"chip-emu serve: --fault {args[i + 1]}: NAME=COUNT with NAME one of nack, corrupt-to-chip, corrupt-to-host, drop-to-chip, duplicate-to-host, reset-during-command"); return 1; }
            }
            var socketPath = Opt("--socket");
            if (socketPath is null)
            {
                server.Serve(Console.In, Console.Out);
                return 0;
            }
            if (File.Exists(socketPath)) File.Delete(socketPath);
            using (var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                listener.Bind(new UnixDomainSocketEndPoint(socketPath));
                listener.Listen(1);
                Console.Error.WriteLine($"chip-emu serve: listening on {socketPath} ({server.PartName}, address {address:X2})");
                while (!server.Quit)
                {
                    using var connection = listener.Accept();
                    using var stream = new NetworkStream(connection, ownsSocket: false);
                    using var reader = new StreamReader(stream);
                    using var writer = new StreamWriter(stream) { NewLine = "\n" };
                    try { server.Serve(reader, writer); }
                    catch (IOException) { /* the client went away: wait for the next one */ }
                }
            }
            File.Delete(socketPath);
            return 0;
        default:
            Console.Error.WriteLine(Usage);
            return 1;
    }
}
catch (Exception e) when (e is IOException or FormatException or CryptographicException or ArgumentException or InvalidDataException or System.Text.Json.JsonException or SocketException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"chip-emu: error: {e.Message}");
    return 2;
}

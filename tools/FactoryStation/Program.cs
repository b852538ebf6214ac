using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using SecureOta.FactoryStation;
using SecureOta.Pkcs11;

// factory-station: provision security chips over the bus (docs/factory.md).
//   factory-station provision (--chip STATE.json | --bus-socket PATH) [--device-id ID] --class-id HEX|UUID
//       --pkcs11-module M --token-label L [--pin-file F] --ca-key-label K --ca-cert CA.pem --vendor-pub VENDOR.pub.pem
//       [--master-label L] [--class-pub CLASS.pub.pem] --log provisioning.log
var root = new RootCommand("Provisions OPTIGA Trust X / Trust M chips through the driver over the bus, with the vendor's keys in a PKCS#11 token.");
var chipFile = new Option<string>("--chip") { Description = "An emulated chip's state file (chip-emu factory): driven in process" };
var socket = new Option<string>("--bus-socket") { Description = "The Unix socket of `chip-emu serve` (virtual clock)" };
var deviceId = new Option<string>("--device-id") { Description = "Device id for the certificate and the log (default: the chip's UID)" };
var classId = new Option<string>("--class-id") { Description = "Device class id (32 hex digits or a UUID): for the master-secret check", Required = true };
var module = new Option<string>("--pkcs11-module") { Description = "PKCS#11 module", Required = true };
var tokenLabel = new Option<string>("--token-label") { Description = "Token with the device CA key and the master secret", Required = true };
var pinFile = new Option<string>("--pin-file") { Description = "File with the user PIN (default: SECURE_OTA_TOKEN_PIN)" };
var caKey = new Option<string>("--ca-key-label") { Description = "The device CA's key in the token", Required = true };
var caCert = new Option<string>("--ca-cert") { Description = "The device CA's certificate (update-tool token ca)", Required = true };
var vendorPub = new Option<string>("--vendor-pub") { Description = "The vendor's update key (PEM): becomes the chip's trust anchor", Required = true };
var masterLabel = new Option<string>("--master-label") { Description = "The master secret in the token, made --for-provisioning (Trust M chips)" };
var classPub = new Option<string>("--class-pub") { Description = "The class key-agreement public key (PEM): checks a Trust X's E0F1" };
var channelPub = new Option<string>("--channel-pub") { Description = "The update server's channel key (PEM, update-server --channel-key's public half): becomes the chip's second trust anchor (E0E8), for freshness statements" };
var log = new Option<string>("--log") { Description = "Provisioning log to append to", Required = true };
var provision = new Command("provision", "Provision one chip: device key made in the chip, certificate from the device CA, trust anchor, master secret (Trust M), locked, read back, logged");
foreach (var o in new Option[] { chipFile, socket, deviceId, classId, module, tokenLabel, pinFile, caKey, caCert, vendorPub, masterLabel, classPub, channelPub, log }) provision.Options.Add(o);
provision.SetAction(parse =>
{
    try
    {
        if ((parse.GetValue(chipFile) is null) == (parse.GetValue(socket) is null))
        {
            Console.Error.WriteLine("factory-station: give exactly one of --chip STATE.json or --bus-socket PATH");
            return 2;
        }
        var cls = ClassIds.Parse(parse.GetValue(classId)!);
        using var token = Pkcs11Token.Open(parse.GetValue(module)!, parse.GetValue(tokenLabel)!, TokenPin.Read(parse.GetValue(pinFile)));
        using var ca = X509CertificateLoader.LoadCertificateFromFile(parse.GetValue(caCert)!);
        using var vendor = ECDsa.Create();
        vendor.ImportFromPem(File.ReadAllText(parse.GetValue(vendorPub)!));
        ECParameters? classKey = null;
        if (parse.GetValue(classPub) is { } classPath)
        {
            using var k = ECDsa.Create();
            k.ImportFromPem(File.ReadAllText(classPath));
            classKey = k.ExportParameters(false);
        }
        byte[]? channelAnchor = null;
        if (parse.GetValue(channelPub) is { } channelPath)
        {
            using var k = ECDsa.Create();
            k.ImportFromPem(File.ReadAllText(channelPath));
            channelAnchor = ChipState.TrustAnchorCertificate(k, "CN=update channel key");
        }
        var station = new Station(new TokenStationKeys(token, parse.GetValue(caKey)!, ca, parse.GetValue(masterLabel)), ChipState.TrustAnchorCertificate(vendor), cls, classKey)
        {
            ChannelTrustAnchor = channelAnchor,
        };
        StationResult result;
        if (parse.GetValue(chipFile) is { } path)
        {
            var state = ChipState.Load(path);
            var clock = new VirtualClock();
            var emulator = new SecureOta.ChipEmulator.ChipEmulator(state, clock);
            emulator.PowerCycle();
            result = station.Provision(new SecurityChip(emulator, clock), parse.GetValue(deviceId));
            state.Save(path);
        }
        else
        {
            using var bus = new BusClient(parse.GetValue(socket)!);
            result = station.Provision(new SecurityChip(bus, new ServedChipClock(bus)), parse.GetValue(deviceId));
        }
        ProvisioningLog.Append(parse.GetValue(log)!, result);
        Console.WriteLine($"factory-station: {result.DeviceId} ({result.Part}, UID {result.Uid}): {result.Reason}" + (result.Ok ? $", certificate {result.CertificateFingerprint}" : ""));
        return result.Ok ? 0 : 3;
    }
    catch (Exception e) when (e is TokenException or IOException or CryptographicException or ArgumentException or InvalidDataException or System.Net.Sockets.SocketException or FormatException)
    {
        Console.Error.WriteLine($"factory-station: error: {e.Message}");
        return 2;
    }
});
root.Subcommands.Add(provision);
return root.Parse(args).Invoke();

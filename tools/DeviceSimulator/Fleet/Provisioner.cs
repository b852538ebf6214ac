using System.Net.Http.Json;
using System.Security.Cryptography;
using SecureOta.ChipEmulator;
using SecureOta.DeviceSimulator.Device;
using SecureOta.Drivers.Chip;
using SecureOta.FactoryStation;

namespace SecureOta.DeviceSimulator.Fleet;

/// <summary>
/// The secure factory for simulated boards (white paper 000, section 5.3). The chip maker's step:
/// a chip as it leaves Infineon (ChipState.Factory), a Trust X with the class key-agreement key
/// personalised into E0F1. Then the factory station (tools/FactoryStation) provisions it through the
/// driver over the emulated bus: device key made in the chip, certificate from the device CA, trust
/// anchor, the master secret into a Trust M, locked and read back, one line in provisioning.log.
/// A "mixed" fleet alternates the parts (odd ids Trust M, even ids Trust X). The flash gets the
/// factory firmware installed by bootsim. Optionally registers the devices with an update server.
/// </summary>
public sealed class Provisioner(string bootsim)
{
    /// <summary>
    /// Keys: the station's (a token, or null for keys in memory: a throw-away device CA and MasterSecret);
    /// ClassKeyPkcs8 is what the chip maker personalises into Trust X chips.
    /// </summary>
    public sealed record Request(string Dir, int Count, string IdPrefix, string VendorPublicKeyPem, byte[]? MasterSecret,
        byte[] VendorId, byte[] ClassId, string Version, int ImageSize, string Part = ChipPart.TrustMName, byte[]? ClassKeyPkcs8 = null,
        IStationKeys? Keys = null, string? ChannelPublicKeyPem = null, string Layout = SwapLayout);

    /// <summary>The board layouts' names (--layout; BoardLayout): the 4 MB swap table, the 4 MB and 8 MB A/B tables (docs/boot-protocol.md, "A/B slots").</summary>
    public const string SwapLayout = "swap", AbLayout = "ab", Ab8Layout = "ab8";

    public const string LogFile = "provisioning.log";

    public const string Mixed = "mixed";

    /// <summary>The part of device i (1-based) in a fleet of this kind.</summary>
    public static ChipPart PartOf(string fleetPart, int i) => fleetPart == Mixed ? (i % 2 == 1 ? ChipPart.TrustM : ChipPart.TrustX) : ChipPart.Named(fleetPart);

    public List<DeviceIdentity> Provision(Request r)
    {
        Directory.CreateDirectory(r.Dir);
        var identities = new List<DeviceIdentity>();
        ProvisionChips(r, (i, id, chip, result) =>
        {
            var dir = Path.Combine(r.Dir, id);
            if (Directory.Exists(dir)) throw new ArgumentException($"{dir} exists: provision into an empty folder (or remove it)");
            Directory.CreateDirectory(dir);
            chip.Save(Path.Combine(dir, SimDevice.ChipFile));
            var pub = Path.Combine(dir, "vendor.pub.pem");
            File.WriteAllText(pub, r.VendorPublicKeyPem);
            var image = Path.Combine(dir, "factory.bin");
            File.WriteAllBytes(image, SimFirmware.Build(r.Version, r.ImageSize, i));
            var flash = Path.Combine(dir, SimDevice.FlashFile);
            var layout = BoardLayout.Named(r.Layout);
            if (layout.Ab)
            {
                // bootsim init knows the swap layout only: the A/B board's factory flash as nanoff would leave
                // it (the image in slot 0, deploy_b and nanoclr_b erased: docs/factory.md), its boot configuration.
                var board = new BoardFlash(layout);
                MemoryBoardStore.WriteFactoryImage(board, File.ReadAllBytes(image), id);
                board.Save(flash);
                new BootStage(board, flash, bootsim).Configure(r.VendorPublicKeyPem, r.VendorId, r.ClassId, 0);
            }
            else
            {
                var boot = new BootStage(new BoardFlash(), flash, bootsim);
                var (code, output) = boot.Run("init", flash, "--pub", pub, "--vendor-id", Uuid(r.VendorId), "--class-id", Uuid(r.ClassId), "--image", image, "--seq", "0");
                if (code != 0) throw new InvalidOperationException($"bootsim init failed for {id}: {output}");
            }
            File.Delete(image);
            var identity = new DeviceIdentity(id, Convert.ToHexString(r.VendorId).ToLowerInvariant(), Convert.ToHexString(r.ClassId).ToLowerInvariant(), 0);
            identity.Save(dir);
            identities.Add(identity);
        });
        return identities;
    }

    /// <summary>
    /// Boards that live only in this process (a big fleet, docs/device-simulator.md "Scale"): the same chip
    /// maker and factory station as Provision, each board's factory flash made when it first runs (one
    /// factory image for the fleet; r.Dir only holds the vendor key file the boot stage reads). With
    /// keep, a board's flash stays after its run (to run the fleet again), else it is let go.
    /// </summary>
    public List<MemoryBoardStore> ProvisionInMemory(Request r, bool keep = false)
    {
        Directory.CreateDirectory(r.Dir);
        var pub = Path.Combine(r.Dir, "vendor.pub.pem");
        File.WriteAllText(pub, r.VendorPublicKeyPem);
        var image = SimFirmware.Build(r.Version, r.ImageSize, 0);
        var boards = new List<MemoryBoardStore>();
        ProvisionChips(r, (i, id, chip, result) =>
        {
            var identity = new DeviceIdentity(id, Convert.ToHexString(r.VendorId).ToLowerInvariant(), Convert.ToHexString(r.ClassId).ToLowerInvariant(), 0);
            var config = new BootConfig { VendorPublicKeyFile = pub, VendorId = r.VendorId, ClassId = r.ClassId, Counter = 0 };
            boards.Add(new MemoryBoardStore(identity, chip, image, config, keep, BoardLayout.Named(r.Layout)));
        });
        return boards;
    }

    // The chip maker, then the factory station, for each board: (index from 1, id, its chip, the station's result).
    private static void ProvisionChips(Request r, Action<int, string, ChipState, StationResult> each)
    {
        if (r.Count is < 1 or > MaxDevices) throw new ArgumentException($"--count: 1..{MaxDevices} devices");
        var boardLayout = BoardLayout.Named(r.Layout);
        if (r.ImageSize < 64 || r.ImageSize > boardLayout.DeploySize) throw new ArgumentException($"--image-size: 64..{boardLayout.DeploySize} bytes (the deploy partition{(boardLayout.Ab ? " slot" : "")} of {boardLayout.Table})");
        if (r.Part is not (ChipPart.TrustMName or ChipPart.TrustXName or Mixed)) throw new ArgumentException($"--part {r.Part}: trust-m, trust-x or mixed");
        if (r.Part != ChipPart.TrustXName && r.MasterSecret is null && r.Keys is null) throw new ArgumentException($"--part {r.Part}: Trust M chips need the master secret (--master-secret FILE or --master-label in the token)");
        if (r.Part != ChipPart.TrustMName && r.ClassKeyPkcs8 is null) throw new ArgumentException($"--part {r.Part}: Trust X chips need --class-key PEM (the class's key-agreement key)");
        using var vendor = ECDsa.Create();
        vendor.ImportFromPem(r.VendorPublicKeyPem);
        var anchor = ChipState.TrustAnchorCertificate(vendor);
        var (caKey, caCert) = LocalStationKeys.NewCa();
        using var localCa = caKey;
        var keys = r.Keys ?? new LocalStationKeys(caKey, caCert, r.MasterSecret);
        ECParameters? classPublic = null;
        if (r.ClassKeyPkcs8 is not null)
        {
            using var classKey = ECDiffieHellman.Create();
            classKey.ImportPkcs8PrivateKey(r.ClassKeyPkcs8, out _);
            classPublic = classKey.ExportParameters(false);
        }
        byte[]? channelAnchor = null;
        if (r.ChannelPublicKeyPem is not null)
        {
            using var channel = ECDsa.Create();
            channel.ImportFromPem(r.ChannelPublicKeyPem);
            channelAnchor = ChipState.TrustAnchorCertificate(channel, "CN=update channel key");
        }
        var station = new Station(keys, anchor, r.ClassId, classPublic) { ChannelTrustAnchor = channelAnchor };
        int digits = Math.Max(3, r.Count.ToString().Length);
        for (int i = 1; i <= r.Count; i++)
        {
            var id = r.IdPrefix + i.ToString().PadLeft(digits, '0');
            var part = PartOf(r.Part, i);
            var chip = ChipState.Factory(part, part == ChipPart.TrustX ? r.ClassKeyPkcs8 : null); /* the chip maker */
            var clock = new VirtualClock();
            var emulator = new SecureOta.ChipEmulator.ChipEmulator(chip, clock);
            emulator.PowerCycle();
            var result = station.Provision(new SecurityChip(emulator, clock), id);
            ProvisioningLog.Append(Path.Combine(r.Dir, LogFile), result);
            if (!result.Ok) throw new InvalidOperationException($"the factory station rejected {id}: {result.Reason}");
            each(i, id, chip, result);
        }
    }

    /// <summary>The most boards one provisioning makes (folders or memory).</summary>
    public const int MaxDevices = 100_000;

    /// <summary>Registers each device with the server's admin API (id, class, the chip's device certificate).</summary>
    public static Task Register(HttpClient admin, string dir, IEnumerable<DeviceIdentity> devices) =>
        Register(admin, devices.Select(d => (d, ChipState.Load(Path.Combine(dir, d.Id, SimDevice.ChipFile)))));

    /// <summary>Registers boards held in memory (ProvisionInMemory).</summary>
    public static Task Register(HttpClient admin, IEnumerable<MemoryBoardStore> boards) =>
        Register(admin, boards.Select(b => (b.Identity, b.LoadChip())));

    // Four registrations in flight at a time: a fleet of thousands registers in seconds.
    private static async Task Register(HttpClient admin, IEnumerable<(DeviceIdentity Identity, ChipState Chip)> devices)
    {
        await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (d, _) =>
        {
            var certificate = Convert.ToBase64String(d.Chip.Objects[ChipState.OidDeviceCert].Data);
            using var response = await admin.PostAsJsonAsync("api/v1/admin/devices", new { id = d.Identity.Id, classId = d.Identity.ClassIdHex, certificate });
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"registering {d.Identity.Id}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        });
    }

    private static string Uuid(byte[] id) => new Guid(id, bigEndian: true).ToString();
}

using System.Net.Http.Json;
using System.Security.Cryptography;
using SecureOta.ChipEmulator;
using SecureOta.DeviceSimulator.Device;

namespace SecureOta.DeviceSimulator.Fleet;

/// <summary>
/// The secure factory for simulated boards (white paper 000, section 5.3): each gets a chip with
/// its own device key and certificate and the vendor's trust anchor, and by part: a Trust M the
/// update master secret (and the class key when one is given), a Trust X the class key-agreement key
/// (chip-maker personalisation); all locked. A "mixed" fleet alternates the parts (odd ids Trust M,
/// even ids Trust X). The flash gets the factory firmware installed by bootsim. Optionally registers
/// the devices with an update server (an admin action there).
/// </summary>
public sealed class Provisioner(string bootsim)
{
    public sealed record Request(string Dir, int Count, string IdPrefix, string VendorPublicKeyPem, byte[]? MasterSecret,
        byte[] VendorId, byte[] ClassId, string Version, int ImageSize, string Part = ChipPart.TrustMName, byte[]? ClassKeyPkcs8 = null);

    public const string Mixed = "mixed";

    /// <summary>The part of device i (1-based) in a fleet of this kind.</summary>
    public static ChipPart PartOf(string fleetPart, int i) => fleetPart == Mixed ? (i % 2 == 1 ? ChipPart.TrustM : ChipPart.TrustX) : ChipPart.Named(fleetPart);

    public List<DeviceIdentity> Provision(Request r)
    {
        if (r.Count is < 1 or > 10_000) throw new ArgumentException("--count: 1..10000 devices");
        if (r.ImageSize is < 64 or > BoardFlash.DeploySize) throw new ArgumentException($"--image-size: 64..{BoardFlash.DeploySize} bytes (the deploy partition)");
        if (r.Part is not (ChipPart.TrustMName or ChipPart.TrustXName or Mixed)) throw new ArgumentException($"--part {r.Part}: trust-m, trust-x or mixed");
        if (r.Part != ChipPart.TrustXName && r.MasterSecret is null) throw new ArgumentException($"--part {r.Part}: Trust M chips need --master-secret FILE");
        if (r.Part != ChipPart.TrustMName && r.ClassKeyPkcs8 is null) throw new ArgumentException($"--part {r.Part}: Trust X chips need --class-key PEM (the class's key-agreement key)");
        Directory.CreateDirectory(r.Dir);
        using var vendor = ECDsa.Create();
        vendor.ImportFromPem(r.VendorPublicKeyPem);
        var anchor = ChipState.TrustAnchorCertificate(vendor);
        var identities = new List<DeviceIdentity>();
        for (int i = 1; i <= r.Count; i++)
        {
            var id = $"{r.IdPrefix}{i:D3}";
            var dir = Path.Combine(r.Dir, id);
            if (Directory.Exists(dir)) throw new ArgumentException($"{dir} exists: provision into an empty folder (or remove it)");
            Directory.CreateDirectory(dir);
            var chip = PartOf(r.Part, i) == ChipPart.TrustX
                ? ChipState.ProvisionTrustX(anchor, r.ClassKeyPkcs8!)
                : ChipState.Provision(anchor, r.MasterSecret!, classKeyPkcs8: r.ClassKeyPkcs8);
            chip.Save(Path.Combine(dir, SimDevice.ChipFile));
            var pub = Path.Combine(dir, "vendor.pub.pem");
            File.WriteAllText(pub, r.VendorPublicKeyPem);
            var image = Path.Combine(dir, "factory.bin");
            File.WriteAllBytes(image, SimFirmware.Build(r.Version, r.ImageSize, i));
            var flash = Path.Combine(dir, SimDevice.FlashFile);
            var boot = new BootStage(new BoardFlash(), flash, bootsim);
            var (code, output) = boot.Run("init", flash, "--pub", pub, "--vendor-id", Uuid(r.VendorId), "--class-id", Uuid(r.ClassId), "--image", image, "--seq", "0");
            if (code != 0) throw new InvalidOperationException($"bootsim init failed for {id}: {output}");
            File.Delete(image);
            var identity = new DeviceIdentity(id, Convert.ToHexString(r.VendorId).ToLowerInvariant(), Convert.ToHexString(r.ClassId).ToLowerInvariant(), 0);
            identity.Save(dir);
            identities.Add(identity);
        }
        return identities;
    }

    /// <summary>Registers each device with the server's admin API (id, class, the chip's device certificate).</summary>
    public static async Task Register(HttpClient admin, string dir, IEnumerable<DeviceIdentity> devices)
    {
        foreach (var d in devices)
        {
            var chip = ChipState.Load(Path.Combine(dir, d.Id, SimDevice.ChipFile));
            var certificate = Convert.ToBase64String(chip.Objects[ChipState.OidDeviceCert].Data);
            using var response = await admin.PostAsJsonAsync("api/v1/admin/devices", new { id = d.Id, classId = d.ClassIdHex, certificate });
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"registering {d.Id}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static string Uuid(byte[] id) => new Guid(id, bigEndian: true).ToString();
}

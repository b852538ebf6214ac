using System.Text.Json;

namespace SecureOta.DeviceSimulator.Fleet;

/// <summary>What a provisioned board knows about itself, kept in DIR/ID/device.json (InitialSequence: the factory firmware's).</summary>
public sealed record DeviceIdentity(string Id, string VendorIdHex, string ClassIdHex, long InitialSequence)
{
    public const string FileName = "device.json";

    public byte[] VendorId => Convert.FromHexString(VendorIdHex);
    public byte[] ClassId => Convert.FromHexString(ClassIdHex);

    public void Save(string deviceDir) => File.WriteAllText(Path.Combine(deviceDir, FileName), JsonSerializer.Serialize(this));

    public static DeviceIdentity Load(string deviceDir)
    {
        var path = Path.Combine(deviceDir, FileName);
        var identity = JsonSerializer.Deserialize<DeviceIdentity>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path}: empty");
        if (identity.Id is null || identity.VendorIdHex?.Length != 32 || identity.ClassIdHex?.Length != 32)
            throw new InvalidDataException($"{path}: needs Id, VendorIdHex and ClassIdHex (32 hex digits each); re-run 'device-sim provision'");
        return identity;
    }
}

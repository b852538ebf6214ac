namespace SecureOta.FactoryStation;

/// <summary>
/// The provisioning log: one tab-separated line per chip, appended and flushed before the station
/// reports the chip: time (UTC), chip UID, device id, part, SHA-256 of the device certificate, result,
/// reason. Nothing secret is in it.
/// </summary>
public static class ProvisioningLog
{
    public const string Header = "# time\tuid\tdevice-id\tpart\tcertificate-sha256\tresult\treason";

    public static void Append(string path, StationResult r)
    {
        bool fresh = !File.Exists(path);
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        using var w = new StreamWriter(stream);
        if (fresh) w.WriteLine(Header);
        w.WriteLine(string.Join('\t', DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"), r.Uid, r.DeviceId, r.Part, r.CertificateFingerprint,
            r.Ok ? "provisioned" : "rejected", r.Reason.Replace('\t', ' ').Replace('\n', ' ')));
        w.Flush();
        stream.Flush(flushToDisk: true);
    }
}

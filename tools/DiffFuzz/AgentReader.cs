using System.Security.Cryptography;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;

namespace SecureOta.DiffFuzz;

/// <summary>
/// The agent's reader in the order UpdateEngine.Stage applies it (Agent/Update/Flow/UpdateEngine.cs):
/// envelope header, integrated payload, signature, manifest, the device policy (profile, vendor, class,
/// component); the anti-rollback and size checks are the device's state, not the reader's, and are left
/// open here as the boot stage's library leaves them.
/// </summary>
public sealed class AgentReader(ECDsa vendorKey, byte[] vendorId, byte[] classId) : IDisposable
{
    private readonly DotNetSha256 _sha = new();
    private readonly DotNetEs256Verifier _verifier = new(ECDsa.Create(vendorKey.ExportParameters(false)));

    public Verdict Check(byte[] header)
    {
        var r = SuitEnvelopeReader.Read(header, header.Length, -1, out var envelope);
        if (!r.IsOk) return Verdict.Rejected("envelope: " + r.Error);
        if (!envelope.HasIntegratedPayload) return Verdict.Rejected("no integrated payload");
        r = SuitAuthenticator.Authenticate(envelope, _sha, _verifier);
        if (!r.IsOk) return Verdict.Rejected("signature: " + r.Error);
        r = SuitManifestParser.Parse(envelope, _sha);
        if (!r.IsOk) return Verdict.Rejected("manifest: " + r.Error);
        var policy = new DevicePolicy
        {
            VendorId = vendorId,
            ClassId = classId,
            Components = ["deploy", "nanoclr"],
            MaxImageSizes = [long.MaxValue, long.MaxValue],
            CurrentSequence = -1,
            // The boot stage checks a firmware dependency's shape but not the version (docs/data-set-format.md
            // 1c): the agent's side runs on a firmware that meets any, so both decide on the same rules.
            FirmwareVersion = [int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue],
        };
        r = policy.Check(envelope);
        if (!r.IsOk) return Verdict.Rejected("policy: " + r.Error);
        var m = envelope.Manifest;
        var p = m.Parameters[0];
        return Verdict.Accepted(m.ComponentName, (ulong)m.SequenceNumber, (ulong)p.ImageSize, p.ImageDigest);
    }

    public void Dispose()
    {
        _sha.Dispose();
        _verifier.Dispose();
    }
}

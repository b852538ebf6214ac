using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.Core.Crypto;
using SecureOta.Core.Host.Crypto;

namespace SecureOta.ChipEmulator;

/// <summary>
/// Executes APDUs as the chip's application does (optiga-trust.md section 2): OpenApplication,
/// GetDataObject, SetDataObject (write, erase & write, metadata LcsO, count), GetRandom, VerifySign,
/// CalcSign, DeriveKey (TLS PRF SHA256, export), GenKeyPair; access conditions and life cycle
/// enforced; refusals as Sta 0xFF with the last-error code kept in 0xF1C2 (highest code wins,
/// cleared when read, flushed by Cmd | 0x80). Durations follow the Trust X datasheet.
/// </summary>
public sealed class ApduProcessor(ChipState state)
{
    // Durations in microseconds (DS-X Table 15 where it gives one; docs/security-chip.md for the rest).
    public const int OpenApplicationUs = 500, GetDataUs = 30, SetDataPerByteUs = 150, RandomUs = 6000,
        VerifyUs = 85000, SignUs = 60000, DeriveUs = 140000, KeyGenUs = 80000, CountUs = 15000;

    public const int OidLastError = 0xF1C2;
    public const int OidSecurityEventCounter = 0xE0C5;

    /// <summary>Security monitor (SRM-M "Security Monitor"; DS-X 8): one protected operation per tmax is the
    /// permitted profile; SEC goes down by one per tmax; from 128 on, commands are delayed.</summary>
    public const int TmaxUs = 5_000_000, ThrottleFrom = 128, ThrottleStepUs = 20_000, ThrottleMaxUs = 2_000_000;

    private byte _lastError;
    private long _secUpdatedAt;

    /// <summary>The security event counter (object E0C5, read-only).</summary>
    public int SecurityEventCounter { get; private set; }

    /// <summary>The shared virtual clock, for the security monitor (null: no throttling).</summary>
    public VirtualClock? Clock { get; set; }

    // A protected operation (private-key use, secret-key use, derivation from a persistent secret):
    // counts toward SEC and, above the threshold, is delayed.
    private int ProtectedOperation(int durationUs)
    {
        if (Clock is null) return durationUs;
        long now = Clock.NowMicroseconds;
        int decay = (int)((now - _secUpdatedAt) / TmaxUs);
        if (decay > 0)
        {
            SecurityEventCounter = Math.Max(0, SecurityEventCounter - decay);
            _secUpdatedAt += (long)decay * TmaxUs;
        }
        if (SecurityEventCounter == 0) _secUpdatedAt = now;
        SecurityEventCounter = Math.Min(255, SecurityEventCounter + 1);
        int delay = SecurityEventCounter >= ThrottleFrom ? Math.Min(ThrottleMaxUs, (SecurityEventCounter - ThrottleFrom + 1) * ThrottleStepUs) : 0;
        return durationUs + delay;
    }

    public ChipState State => state;

    /// <summary>Set while the presentation layer protects the exchange (Conf access conditions).</summary>
    public bool Shielded { get; set; }

    public bool ApplicationOpen { get; private set; }

    /// <summary>Forgets volatile state, as a reset does.</summary>
    public void Reset()
    {
        ApplicationOpen = false;
        _lastError = 0;
    }

    public (byte[] Response, int DurationUs) Execute(byte[] apdu)
    {
        if (apdu.Length < 4) return Fail(0x04, 0);
        byte cmd = apdu[0];
        if ((cmd & 0x80) != 0) _lastError = 0;
        cmd &= 0x7F;
        byte param = apdu[1];
        int inLen = (apdu[2] << 8) | apdu[3];
        if (inLen != apdu.Length - 4) return Fail(0x04, 0);
        var inData = apdu.AsSpan(4).ToArray();
        if (cmd == 0x70) return OpenApplication(param, inData);
        if (!ApplicationOpen) return Fail(0x0C, 0);
        return cmd switch
        {
            0x01 => GetData(param, inData),
            0x02 => SetData(param, inData),
            0x0C => Random(param, inData),
            0x32 => Verify(param, inData),
            0x31 => Sign(param, inData),
            0x34 => Derive(param, inData),
            0x38 => GenKeyPair(param, inData),
            0x30 => Hash(param, inData),
            0x33 => SharedSecret(param, inData),
            _ => Fail(0x0A, 0),
        };
    }

    private static (byte[], int) Ok(byte[] data, int us) => ([0x00, 0x00, (byte)(data.Length >> 8), (byte)data.Length, .. data], us);

    private (byte[], int) Fail(byte code, int us)
    {
        if (code > _lastError) _lastError = code;
        return ([0xFF, 0x00, 0x00, 0x00], us);
    }

    private (byte[], int) OpenApplication(byte param, byte[] aid)
    {
        if (param != 0x00) return Fail(0x03, OpenApplicationUs);
        if (!aid.AsSpan().SequenceEqual(new byte[] { 0xD2, 0x76, 0x00, 0x00, 0x04, 0x47, 0x65, 0x6E, 0x41, 0x75, 0x74, 0x68, 0x41, 0x70, 0x70, 0x6C }))
            return Fail(0x05, OpenApplicationUs);
        ApplicationOpen = true;
        return Ok([], OpenApplicationUs);
    }

    private bool Allows(byte[]? ac, DataObject o) => AccessCondition.Allows(ac, o.Lcs, state.ApplicationLcs, Shielded);

    private (byte[], int) GetData(byte param, byte[] d)
    {
        if (d.Length < 2) return Fail(0x04, GetDataUs);
        int oid = (d[0] << 8) | d[1];
        if (oid == OidSecurityEventCounter) return Ok([(byte)SecurityEventCounter], GetDataUs);
        if (oid == OidLastError)
        {
            byte e = _lastError;
            _lastError = 0;
            return Ok([e], GetDataUs);
        }
        if (!state.Objects.TryGetValue(oid, out var o)) return Fail(0x01, GetDataUs);
        if (param == 0x01) return Ok(o.Metadata(), GetDataUs);
        if (param != 0x00) return Fail(0x03, GetDataUs);
        if (!Allows(o.Read, o)) return Fail(0x07, GetDataUs);
        int offset = d.Length >= 6 ? (d[2] << 8) | d[3] : 0;
        int length = d.Length >= 6 ? (d[4] << 8) | d[5] : 0xFFFF;
        if (offset > o.Data.Length) return Fail(0x08, GetDataUs);
        int n = Math.Min(length, o.Data.Length - offset);
        return Ok(o.Data.AsSpan(offset, n).ToArray(), GetDataUs + n * 5);
    }

    private (byte[], int) SetData(byte param, byte[] d)
    {
        if (d.Length < 4) return Fail(0x04, 0);
        int oid = (d[0] << 8) | d[1];
        int offset = (d[2] << 8) | d[3];
        var data = d.AsSpan(4).ToArray();
        if (!state.Objects.TryGetValue(oid, out var o) || oid == OidLastError) return Fail(0x01, 0);
        int us = 5000 + data.Length * SetDataPerByteUs;
        switch (param)
        {
            case 0x02: /* count: monotonic counters, EXE access condition */
                if (o.Type != DataObject.TypeUpCounter || data.Length != 1 || data[0] == 0) return Fail(0x05, CountUs);
                if (!Allows(o.Execute, o)) return Fail(0x07, CountUs);
                uint value = (uint)((o.Data[0] << 24) | (o.Data[1] << 16) | (o.Data[2] << 8) | o.Data[3]);
                uint threshold = (uint)((o.Data[4] << 24) | (o.Data[5] << 16) | (o.Data[6] << 8) | o.Data[7]);
                if ((ulong)value + data[0] > threshold) return Fail(0x0E, CountUs);
                value += data[0];
                o.Data = [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value, o.Data[4], o.Data[5], o.Data[6], o.Data[7]];
                return Ok([], CountUs);
            case 0x01: /* metadata: only LcsO (C0), and it only moves up */
                if (!Allows(o.Change, o)) return Fail(0x07, us);
                if (offset != 0 || data.Length != 5 || data[0] != 0x20 || data[1] != 3 || data[2] != 0xC0 || data[3] != 1) return Fail(0x11, us);
                if (data[4] < o.Lcs) return Fail(0x11, us);
                o.Lcs = data[4];
                return Ok([], us);
            case 0x00:
            case 0x40:
                if (!Allows(o.Change, o)) return Fail(0x07, us);
                if (o.Type == DataObject.TypeUpCounter) return Fail(0x07, us);
                if (offset + data.Length > o.MaxSize) return Fail(0x08, us);
                var current = param == 0x40 ? [] : o.Data;
                var result = new byte[Math.Max(current.Length, offset + data.Length)];
                current.CopyTo(result, 0);
                data.CopyTo(result, offset);
                o.Data = result;
                return Ok([], us);
            default:
                return Fail(0x03, us);
        }
    }

    private (byte[], int) Random(byte param, byte[] d)
    {
        if (param > 0x01 || d.Length != 2) return Fail(0x03, RandomUs);
        int n = (d[0] << 8) | d[1];
        if (n is < 8 or > 256) return Fail(0x05, RandomUs);
        return Ok(RandomNumberGenerator.GetBytes(n), RandomUs);
    }

    private static Dictionary<byte, byte[]>? Tlvs(byte[] d)
    {
        var tags = new Dictionary<byte, byte[]>();
        for (int i = 0; i < d.Length;)
        {
            if (i + 3 > d.Length) return null;
            int len = (d[i + 1] << 8) | d[i + 2];
            if (i + 3 + len > d.Length) return null;
            tags[d[i]] = d.AsSpan(i + 3, len).ToArray();
            i += 3 + len;
        }
        return tags;
    }

    private (byte[], int) Verify(byte param, byte[] d)
    {
        if (param != 0x11) return Fail(0x03, VerifyUs);
        var t = Tlvs(d);
        if (t is null || !t.TryGetValue(0x01, out var digest) || !t.TryGetValue(0x02, out var sigDer)) return Fail(0x05, VerifyUs);
        var raw = Drivers.Chip.EcdsaSignature.FromChip(sigDer);
        if (raw is null) return Fail(0x05, VerifyUs);
        ECDsa? key = null;
        try
        {
            if (t.TryGetValue(0x04, out var oidBytes) && oidBytes.Length == 2)
            {
                int oid = (oidBytes[0] << 8) | oidBytes[1];
                if (!state.Objects.TryGetValue(oid, out var o) || o.Data.Length == 0) return Fail(0x01, VerifyUs);
                if (!Allows(o.Execute, o)) return Fail(0x07, VerifyUs);
                using var cert = X509CertificateLoader.LoadCertificate(o.Data);
                key = cert.GetECDsaPublicKey();
                if (key is null) return Fail(0x29, VerifyUs);
            }
            else if (t.TryGetValue(0x06, out var bitString) && bitString.Length == 68 && bitString[0] == 0x03 && bitString[3] == 0x04)
            {
                key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = bitString[4..36], Y = bitString[36..68] } });
            }
            else return Fail(0x05, VerifyUs);
            return key.VerifyHash(digest, raw, DSASignatureFormat.IeeeP1363FixedFieldConcatenation) ? Ok([], VerifyUs) : Fail(0x2C, VerifyUs);
        }
        catch (CryptographicException)
        {
            return Fail(0x29, VerifyUs);
        }
        finally
        {
            key?.Dispose();
        }
    }

    private (byte[], int) Sign(byte param, byte[] d)
    {
        var t = Tlvs(d);
        if (param != 0x11 || t is null || !t.TryGetValue(0x01, out var digest) || !t.TryGetValue(0x03, out var oidBytes) || oidBytes.Length != 2)
            return Fail(0x05, SignUs);
        int oid = (oidBytes[0] << 8) | oidBytes[1];
        if (!state.Objects.TryGetValue(oid, out var o) || o.PrivateKey is null) return Fail(0x01, SignUs);
        if (!Allows(o.Execute, o)) return Fail(0x07, SignUs);
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(o.PrivateKey, out _);
        var raw = key.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return Ok(Drivers.Chip.EcdsaSignature.ToChip(raw), ProtectedOperation(SignUs));
    }

    private (byte[], int) Derive(byte param, byte[] d)
    {
        var t = Tlvs(d);
        if (param != 0x01 || t is null || !t.TryGetValue(0x01, out var oidBytes) || oidBytes.Length != 2
            || !t.TryGetValue(0x02, out var derivation) || !t.TryGetValue(0x03, out var lenBytes) || lenBytes.Length != 2)
            return Fail(0x05, DeriveUs);
        int oid = (oidBytes[0] << 8) | oidBytes[1];
        int keyLength = (lenBytes[0] << 8) | lenBytes[1];
        if (derivation.Length is < 8 or > 1024 || keyLength is < 16 or > 256) return Fail(0x05, DeriveUs);
        if (!t.ContainsKey(0x07)) return Fail(0x25, DeriveUs); /* sessions are not modelled: export only */
        if (!state.Objects.TryGetValue(oid, out var o)) return Fail(0x01, DeriveUs);
        if (o.Type != DataObject.TypePresSec) return Fail(0x07, DeriveUs);
        if (!Allows(o.Execute, o)) return Fail(0x07, DeriveUs);
        using var sha = new DotNetSha256();
        var secret = o.Data.Length > 64 ? o.Data[..64] : o.Data;
        return Ok(Tls12Prf.Derive(sha, secret, derivation, keyLength), ProtectedOperation(DeriveUs));
    }

    private (byte[], int) Hash(byte param, byte[] d)
    {
        var t = Tlvs(d);
        if (param != 0xE2) return Fail(0x03, HashUs(0));
        if (t is null || t.Count != 1 || !t.TryGetValue(0x01, out var data)) return Fail(0x05, HashUs(0)); /* start & final only */
        var digest = SHA256.HashData(data);
        return Ok([0x01, 0x00, 0x20, .. digest], HashUs(data.Length));
    }

    /// <summary>SHA-256 on the chip: ~5 KB/s (DS-X Table 15).</summary>
    private static int HashUs(int bytes) => 2000 + bytes * 200;

    private (byte[], int) SharedSecret(byte param, byte[] d)
    {
        var t = Tlvs(d);
        if (param != 0x01 || t is null || !t.TryGetValue(0x01, out var oidBytes) || oidBytes.Length != 2
            || !t.TryGetValue(0x06, out var peer) || peer.Length != 68 || peer[0] != 0x03 || peer[3] != 0x04)
            return Fail(0x05, EcdhUs);
        if (!t.ContainsKey(0x07)) return Fail(0x25, EcdhUs); /* sessions are not modelled: export only */
        int oid = (oidBytes[0] << 8) | oidBytes[1];
        if (!state.Objects.TryGetValue(oid, out var o) || o.PrivateKey is null) return Fail(0x01, EcdhUs);
        if (!Allows(o.Execute, o)) return Fail(0x07, EcdhUs);
        using var mine = ECDiffieHellman.Create();
        mine.ImportPkcs8PrivateKey(o.PrivateKey, out _);
        using var other = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = peer[4..36], Y = peer[36..68] } });
        return Ok(mine.DeriveRawSecretAgreement(other.PublicKey), ProtectedOperation(EcdhUs));
    }

    public const int EcdhUs = 65000;

    private (byte[], int) GenKeyPair(byte param, byte[] d)
    {
        var t = Tlvs(d);
        if (param != 0x03 || t is null || !t.TryGetValue(0x01, out var oidBytes) || oidBytes.Length != 2) return Fail(0x05, KeyGenUs);
        int oid = (oidBytes[0] << 8) | oidBytes[1];
        if (oid is < 0xE0F1 or > 0xE0F3) return Fail(0x01, KeyGenUs); /* E0F0 is the factory device key */
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        state.Add(new DataObject { Oid = oid, MaxSize = 0, PrivateKey = key.ExportPkcs8PrivateKey(), Change = [AccessCondition.Always], Read = [AccessCondition.Never], Execute = [AccessCondition.Always] });
        var q = key.ExportParameters(false).Q;
        byte[] bitString = [0x03, 0x42, 0x00, 0x04, .. q.X!, .. q.Y!];
        return Ok([0x02, 0x00, (byte)bitString.Length, .. bitString], KeyGenUs);
    }
}

using System.Security.Cryptography;

namespace SecureOta.ChipEmulator;

/// <summary>The data-object commands: GetDataObject, SetDataObject, GetRandom (SRM-M Tables 20, 21, 23; X-CMDC).</summary>
public sealed partial class ApduProcessor
{
    // Conf (a shielded-connection condition) in a read AC needs the response protected, in a change or
    // execute AC the command (I2C-203 section 6: each direction is protected on its own).
    private bool Allows(byte[]? ac, DataObject o) =>
        AccessCondition.Allows(ac, o.Lcs, state.ApplicationLcs, ReferenceEquals(ac, o.Read) ? ResponseProtected : CommandProtected, _autoStates.Contains);

    private (byte[], int) GetData(byte param, byte[] d)
    {
        if (d.Length < 2) return Fail(0x04, GetDataUs);
        int oid = (d[0] << 8) | d[1];
        if (oid == OidSecurityEventCounter)
        {
            DecaySecurityEvents();
            return Ok([(byte)SecurityEventCounter], GetDataUs);
        }
        if (oid == OidLastError)
        {
            byte e = _lastError;
            _lastError = 0;
            return Ok([e], GetDataUs);
        }
        if (!state.Objects.TryGetValue(oid, out var o)) return Fail(0x01, GetDataUs);
        if (param == 0x01) return d.Length == 2 ? Ok(o.Metadata(state.Part.HasTrustMObjects), GetDataUs) : Fail(0x04, GetDataUs);
        if (param != 0x00) return Fail(0x03, GetDataUs);
        // InData is OID, offset, length (6 bytes), or the OID alone for the whole object (SRM-M Table 20; the
        // Trust X host reads E0C6 that way right after OpenApplication: X-CMDC CmdLib_GetDataObject, LEN_PL_OID).
        if (d.Length is not (6 or 2)) return Fail(0x04, GetDataUs);
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
            case 0x02 when state.Part.HasTrustMObjects: /* count: monotonic counters, EXE access condition */
                if (o.Type != DataObject.TypeUpCounter || data.Length != 1 || data[0] == 0) return Fail(0x05, CountUs);
                if (!Allows(o.Execute, o)) return Fail(0x07, CountUs);
                uint value = (uint)((o.Data[0] << 24) | (o.Data[1] << 16) | (o.Data[2] << 8) | o.Data[3]);
                uint threshold = (uint)((o.Data[4] << 24) | (o.Data[5] << 16) | (o.Data[6] << 8) | o.Data[7]);
                if ((ulong)value + data[0] > threshold) return Fail(0x0E, CountUs);
                value += data[0];
                o.Data = [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value, o.Data[4], o.Data[5], o.Data[6], o.Data[7]];
                return Ok([], CountUs);
            case 0x01:
                // Metadata follows the object's life cycle, not its change condition: writable while LcsO is
                // below operational (the vendor's protected-update example rewrites the metadata of a target
                // whose change condition is Int(TA), which no SetDataObject can satisfy: M-EX util_protected_update).
                if (offset != 0) return Fail(0x05, us);
                return WriteMetadata(o, data) is { } error ? Fail(error, us) : Ok([], us);
            case 0x00:
            case 0x40:
                if (!Allows(o.Change, o)) return Fail(0x07, us);
                // A counter is written whole (value and threshold, 8 bytes) where its change condition allows it (M-EX util_update_count).
                if (o.Type == DataObject.TypeUpCounter && (offset != 0 || data.Length != 8)) return Fail(0x08, us);
                if (offset + data.Length > o.MaxSize) return Fail(0x08, us);
                if (!ValidValue(oid, o, offset, data)) return Fail(0x05, us);
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

    // SetDataObject(metadata) (SRM-M Table 21 fn 10, Table 49; X-CMDC: "20 03 C0 01 07"): a 0x20 TLV with
    // only the tags that change. LcsO only rises; once the object is operational its metadata is fixed
    // (0x07). Changeable: C0 LcsO, D0/D1/D3 access conditions, E1 key usage (key objects), and on a
    // Trust M C1 version, E8 type, D8 metadata-update descriptor and F0 reset type. Sizes (C4, C5) and
    // the algorithm (E0) are the chip's: 0x11.
    // Everything is checked before anything is applied, so a refused update changes nothing.
    private byte? WriteMetadata(DataObject o, byte[] data)
    {
        if (data.Length < 2 || data[0] != 0x20 || data[1] != data.Length - 2 || data[1] > 44) return 0x11;
        var changes = new List<(byte Tag, byte[] Value)>();
        for (int i = 2; i < data.Length;)
        {
            if (i + 2 > data.Length || i + 2 + data[i + 1] > data.Length) return 0x11;
            byte tag = data[i];
            var value = data.AsSpan(i + 2, data[i + 1]).ToArray();
            i += 2 + value.Length;
            if (changes.Any(c => c.Tag == tag)) return 0x11;
            bool ok = tag switch
            {
                0xC0 => value.Length == 1 && value[0] is DataObject.LcsCreation or 0x03 or DataObject.LcsOperational or 0x0F && value[0] >= o.Lcs,
                0xD0 or 0xD1 or 0xD3 => value.Length is >= 1 and <= 23,
                0xE1 => value.Length == 1 && o.PrivateKey is not null,
                0xC1 => state.Part.HasTrustMObjects && value.Length == 2,
                0xD8 => state.Part.HasTrustMObjects && value.Length is >= 1 and <= 23,
                0xF0 => state.Part.HasTrustMObjects && value.Length == 1 && value[0] is 0x01 or 0x03 or 0x07 or 0x0F or 0x10 or 0x20,
                0xE8 => state.Part.HasTrustMObjects && value.Length == 1 && o.PrivateKey is null
                    && value[0] is DataObject.TypeBstr or DataObject.TypeUpCounter or DataObject.TypeTrustAnchor or DataObject.TypeDeviceCert
                        or DataObject.TypePresSec or DataObject.TypePlatformBinding or 0x23 or 0x31,
                _ => false,
            };
            if (!ok) return 0x11;
            if (o.Lcs >= DataObject.LcsOperational) return 0x07;
            changes.Add((tag, value));
        }
        foreach (var (tag, value) in changes)
        {
            switch (tag)
            {
                case 0xC0: o.Lcs = value[0]; break;
                case 0xD0: o.Change = value.SequenceEqual(new byte[] { AccessCondition.Never }) ? null : value; break;
                case 0xD1: o.Read = value.SequenceEqual(new byte[] { AccessCondition.Never }) ? null : value; break;
                case 0xD3: o.Execute = value.SequenceEqual(new byte[] { AccessCondition.Never }) ? null : value; break;
                case 0xE1: o.Usage = value[0]; break;
                case 0xC1: o.Version = (value[0] << 8) | value[1]; break;
                case 0xE8: o.Type = value[0]; break;
                case 0xD8: case 0xF0: o.Extra[tag] = value; break;
            }
        }
        return null;
    }

    // The configuration objects take only their documented values (SRM-M "Common data structures"):
    // sleep delay 20..255 ms, current limit 6..15 mA, a life cycle state only upward.
    private static bool ValidValue(int oid, DataObject o, int offset, byte[] data) => oid switch
    {
        ChipState.OidSleepDelay => offset == 0 && data.Length == 1 && data[0] >= 20,
        ChipState.OidCurrentLimit => offset == 0 && data.Length == 1 && data[0] is >= 6 and <= 15,
        ChipState.OidLcsA => offset == 0 && data.Length == 1 && data[0] is DataObject.LcsCreation or 0x03 or DataObject.LcsOperational or 0x0F && data[0] >= o.Data[0],
        ChipState.OidSecurityStatusG or ChipState.OidSecurityStatusA => offset == 0 && data.Length == 1,
        _ => true,
    };

    private (byte[], int) Random(byte param, byte[] d)
    {
        if (param == 0x04 && state.Part.HasTrustMObjects) return PreMasterSecret(d);
        if (param > 0x01) return Fail(0x03, RandomUs);
        if (d.Length > 2 && state.Part.HasTrustMObjects) return AuthorizationCode(d);
        if (d.Length != 2) return Fail(0x04, RandomUs);
        int n = (d[0] << 8) | d[1];
        if (n is < 8 or > 256) return Fail(0x05, RandomUs);
        return Ok(RandomNumberGenerator.GetBytes(n), RandomUs);
    }
}

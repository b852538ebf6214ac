using System.Security.Cryptography;

namespace SecureOta.ChipEmulator;

/// <summary>
/// Trust M V3 symmetric commands (M-CMD optiga_cmd_gen_symkey_handler, optiga_cmd_enc_dec_sym_handler;
/// SRM-M EncryptSym/DecryptSym/GenSymKey): GenSymKey (AES-128/192/256 into E200, or exported),
/// EncryptSym and DecryptSym with ECB, CBC, CBC-MAC, CMAC (AES key E200) and HMAC-SHA256/384/512 (a
/// PRESSEC data object or a session secret). InData: key OID[2], sequence[1] (00 start, 01 start&amp;final,
/// 02 continue, 03 final), length[2], data, then on a start 41 IV, 40 associated data, 42 total
/// length (CBC without an IV starts from zeros). The output is `61 len data`; MAC modes answer only on the final packet.
/// DecryptSym with an HMAC mode is the HMAC verification of ApduProcessor.HmacVerify.cs. The host
/// library (5.6.0) offers no CCM or GCM.
/// </summary>
public sealed partial class ApduProcessor
{
    public const int OidSymmetricKey = 0xE200;
    private const byte ModeEcb = 0x08, ModeCbc = 0x09, ModeCbcMac = 0x0A, ModeCmac = 0x0B, ModeHmac256 = 0x20, ModeHmac384 = 0x21, ModeHmac512 = 0x22;
    private const byte TagOutData = 0x61, TagIv = 0x41, TagAad = 0x40, TagTotalLength = 0x42, TagVerification = 0x43;
    public const int SymUs = 3000;

    /// <summary>GenSymKey: DS-M Table 18 gives no figure; chosen as the Trust X's ECC key pair (80 ms).</summary>
    public const int SymKeyGenUs = 80_000;

    private sealed class SymContext
    {
        public byte Mode;
        public bool Decrypt;
        public required byte[] Key;
        public byte[] Chain = new byte[16];   /* CBC: the previous ciphertext block; CBC-MAC, CMAC: the running MAC */
        public byte[] Pending = [];           /* CMAC: the last block, which the final one treats specially */
        public IncrementalHash? Hmac;
    }

    private SymContext? _sym;

    private (byte[], int) GenSymKey(byte param, byte[] d)
    {
        int length = param switch { 0x81 => 16, 0x82 => 24, 0x83 => 32, _ => 0 };
        if (length == 0) return Fail(0x03, SymKeyGenUs);
        var t = Tlvs(d);
        if (t is null) return Fail(0x05, SymKeyGenUs);
        var key = RandomNumberGenerator.GetBytes(length);
        if (t.Count == 1 && t.TryGetValue(TagExport, out var none) && none.Length == 0) return Ok([0x01, 0x00, (byte)length, .. key], SymKeyGenUs);
        if (t.Count != 2 || !t.TryGetValue(0x01, out var oidBytes) || Oid(oidBytes) != OidSymmetricKey || !t.TryGetValue(0x02, out var usage) || usage.Length != 1)
            return Fail(0x05, SymKeyGenUs);
        var slot = state.Objects[OidSymmetricKey];
        if (!Allows(slot.Change, slot)) return Fail(0x07, SymKeyGenUs);
        slot.SymmetricKey = key;
        slot.Usage = usage[0];
        return Ok([], SymKeyGenUs);
    }

    private (byte[], int) Symmetric(byte cmd, byte mode, byte[] d)
    {
        bool decrypt = cmd == 0x15;
        if (d.Length < 5) return Fail(0x04, SymUs);
        int oid = (d[0] << 8) | d[1], seq = d[2], length = (d[3] << 8) | d[4];
        if (seq > 3 || 5 + length > d.Length) return Fail(0x05, SymUs);
        if (decrypt && mode is ModeHmac256 or ModeHmac384 or ModeHmac512) return HmacVerify(oid, seq, mode, d.AsSpan(5, length).ToArray(), d.AsSpan(5 + length).ToArray());
        var data = d.AsSpan(5, length).ToArray();
        var options = Tlvs(d.AsSpan(5 + length).ToArray());
        if (options is null || options.ContainsKey(TagVerification)) return Fail(0x05, SymUs); /* verification data only for an HMAC */
        bool start = seq is 0 or 1, final = seq is 1 or 3;
        if (start)
        {
            var (key, error) = SymmetricKeyFor(oid, mode, decrypt);
            if (key is null) return Fail(error, SymUs);
            _sym = new SymContext { Mode = mode, Decrypt = decrypt, Key = key };
            if (options.TryGetValue(TagIv, out var iv))
            {
                // CBC takes an IV (without one it starts from zeros, as M-EX symmetric_encrypt_decrypt sends none); no other mode has one.
                if (mode != ModeCbc || iv.Length != 16) return Fail(0x05, SymUs);
                _sym.Chain = iv;
            }
            if (mode is ModeHmac256 or ModeHmac384 or ModeHmac512)
            {
                _sym.Hmac = IncrementalHash.CreateHMAC(mode == ModeHmac256 ? HashAlgorithmName.SHA256 : mode == ModeHmac384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512, key);
            }
        }
        else if (_sym is null || _sym.Mode != mode || _sym.Decrypt != decrypt) return Fail(0x0B, SymUs);
        var ctx = _sym!;
        bool blockMode = mode is ModeEcb or ModeCbc or ModeCbcMac;
        if (blockMode && data.Length % 16 != 0) return Fail(0x05, SymUs);
        byte[] output;
        using (var aes = Aes.Create())
        {
            if (mode is not (ModeHmac256 or ModeHmac384 or ModeHmac512)) aes.Key = ctx.Key;
            switch (mode)
            {
                case ModeEcb:
                    output = decrypt ? aes.DecryptEcb(data, PaddingMode.None) : aes.EncryptEcb(data, PaddingMode.None);
                    break;
                case ModeCbc:
                    output = decrypt ? aes.DecryptCbc(data, ctx.Chain, PaddingMode.None) : aes.EncryptCbc(data, ctx.Chain, PaddingMode.None);
                    if (data.Length > 0) ctx.Chain = (decrypt ? data : output)[^16..];
                    break;
                case ModeCbcMac:
                    if (decrypt) return Fail(0x25, SymUs);
                    var mac = aes.EncryptCbc(data, ctx.Chain, PaddingMode.None);
                    if (mac.Length > 0) ctx.Chain = mac[^16..];
                    output = final ? ctx.Chain : [];
                    break;
                case ModeCmac:
                    if (decrypt) return Fail(0x25, SymUs);
                    output = Cmac(aes, ctx, data, final);
                    break;
                case ModeHmac256 or ModeHmac384 or ModeHmac512:
                    ctx.Hmac!.AppendData(data);
                    output = final ? ctx.Hmac.GetHashAndReset() : [];
                    break;
                default:
                    return Fail(0x03, SymUs);
            }
        }
        if (final) _sym = null;
        bool macMode = mode is ModeCbcMac or ModeCmac or ModeHmac256 or ModeHmac384 or ModeHmac512;
        // An HMAC is charged DS-M Table 18's HMAC-SHA256 figure once, on its final packet; the AES modes per byte (chosen).
        bool hmac = mode is ModeHmac256 or ModeHmac384 or ModeHmac512;
        int us = ProtectedOperation(SymUs + data.Length * 10 + (hmac && final ? Durations.HmacUs : 0));
        if (macMode && !final) return Ok([], us);
        return Ok([TagOutData, (byte)(output.Length >> 8), (byte)output.Length, .. output], us);
    }

    // AES keys come from E200 (usage Enc for the ciphers, Sign for the MACs); HMAC secrets from a PRESSEC data object or a session.
    private (byte[]? Key, byte Error) SymmetricKeyFor(int oid, byte mode, bool decrypt)
    {
        if (mode is ModeHmac256 or ModeHmac384 or ModeHmac512)
        {
            if (SessionContext.IsSession(oid)) return _sessions.TryGetValue(oid, out var s) && s.Secret is not null ? (s.Secret, (byte)0) : (null, (byte)0x01);
            if (!state.Objects.TryGetValue(oid, out var secret)) return (null, 0x01);
            if (secret.Type != DataObject.TypePresSec || !Allows(secret.Execute, secret)) return (null, 0x07);
            return (secret.Data, 0);
        }
        if (oid != OidSymmetricKey || !state.Objects.TryGetValue(oid, out var o) || o.SymmetricKey is null) return (null, 0x01);
        if (!Allows(o.Execute, o)) return (null, 0x07);
        return (o.SymmetricKey, 0);
    }

    // CMAC (RFC 4493 / NIST SP 800-38B) over the chained packets: every block but the last is CBC-MACed as it
    // arrives; the last (complete or padded) is XORed with K1 or K2 at the final packet.
    private static byte[] Cmac(Aes aes, SymContext ctx, byte[] data, bool final)
    {
        var all = ctx.Pending.Concat(data).ToArray();
        int keep = all.Length == 0 ? 0 : (all.Length % 16 == 0 ? 16 : all.Length % 16);
        var body = all[..^keep];
        if (body.Length > 0) ctx.Chain = aes.EncryptCbc(body, ctx.Chain, PaddingMode.None)[^16..];
        ctx.Pending = all[^keep..];
        if (!final) return [];
        var l = aes.EncryptEcb(new byte[16], PaddingMode.None);
        var k1 = Double(l);
        var k2 = Double(k1);
        var last = new byte[16];
        if (ctx.Pending.Length == 16)
            for (int i = 0; i < 16; i++) last[i] = (byte)(ctx.Pending[i] ^ k1[i]);
        else
        {
            ctx.Pending.CopyTo(last, 0);
            last[ctx.Pending.Length] = 0x80;
            for (int i = 0; i < 16; i++) last[i] ^= k2[i];
        }
        return aes.EncryptCbc(last, ctx.Chain, PaddingMode.None);
    }

    private static byte[] Double(byte[] b)
    {
        var r = new byte[16];
        for (int i = 0; i < 16; i++) r[i] = (byte)((b[i] << 1) | (i < 15 ? b[i + 1] >> 7 : 0));
        if ((b[0] & 0x80) != 0) r[15] ^= 0x87;
        return r;
    }
}

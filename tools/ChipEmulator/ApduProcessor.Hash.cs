using System.Security.Cryptography;
using SecureOta.Core.Crypto;

namespace SecureOta.ChipEmulator;

/// <summary>
/// CalcHash (SRM-M Table 28; X-CMDC CmdLib_CalcHash, X-CMDH eHashSequence_d / eContextAction_d): SHA-256
/// of a data stream or of an object's data, in a sequence start / continue / final (or start&final,
/// terminate, intermediate), on the chip's one active context or on a context the host exports and
/// imports. The exported context has the part's length (130 bytes Trust X, 209 Trust M); its content is
/// the emulator's own: the SHA-256 state, zero padding, and a 16-byte HMAC-SHA256 tag under a key only the
/// chip knows, so an imported context the chip did not write is refused (error 0x2D, integrity).
/// </summary>
public sealed partial class ApduProcessor
{
    // First TLV tag = (data type << 4) | sequence.
    private const int SeqStart = 0, SeqStartFinal = 1, SeqContinue = 2, SeqFinal = 3, SeqTerminate = 4, SeqIntermediate = 5;
    private const int TypeStream = 0, TypeOid = 1;
    private const byte TagContextImport = 0x06, TagContextExport = 0x07, TagDigest = 0x01;
    private const int ContextTagLength = 16;

    private Sha256? _hash;

    private (byte[], int) Hash(byte param, byte[] d)
    {
        if (param != 0xE2) return Fail(0x03, HashUs(0));
        if (d.Length < 3) return Fail(0x05, HashUs(0));
        int tag = d[0], seq = tag & 0x0F, type = tag >> 4;
        int length = (d[1] << 8) | d[2];
        if (seq > SeqIntermediate || type > TypeOid || 3 + length > d.Length) return Fail(0x05, HashUs(0));
        var options = Tlvs(d.AsSpan(3 + length).ToArray());
        if (options is null || options.Keys.Any(k => k is not (TagContextImport or TagContextExport))) return Fail(0x05, HashUs(0));
        bool export = options.TryGetValue(TagContextExport, out var e);
        if (export && e!.Length != 0) return Fail(0x05, HashUs(0));

        byte[] data;
        if (seq == SeqTerminate)
        {
            if (length != 0 || options.Count != 0) return Fail(0x05, HashUs(0));
            _hash = null;
            return Ok([], HashUs(0));
        }
        if (type == TypeOid)
        {
            if (length != 6) return Fail(0x05, HashUs(0));
            int oid = (d[3] << 8) | d[4], offset = (d[5] << 8) | d[6], count = (d[7] << 8) | d[8];
            if (!state.Objects.TryGetValue(oid, out var o)) return Fail(0x01, HashUs(0));
            if (!Allows(o.Read, o)) return Fail(0x07, HashUs(0));
            if (offset + count > o.Data.Length) return Fail(0x08, HashUs(0));
            data = o.Data.AsSpan(offset, count).ToArray();
        }
        else data = d.AsSpan(3, length).ToArray();

        Sha256 sha;
        if (options.TryGetValue(TagContextImport, out var imported))
        {
            if (seq is SeqStart or SeqStartFinal) return Fail(0x05, HashUs(0));
            var restored = ImportContext(imported);
            if (restored is null) return Fail(0x2D, HashUs(0));
            sha = restored;
        }
        else if (seq is SeqStart or SeqStartFinal) sha = new Sha256();
        else if (_hash is null) return Fail(0x0B, HashUs(0)); /* continue or final without a started hash */
        else sha = _hash;

        sha.Update(data, 0, data.Length);
        int us = HashUs(data.Length);
        switch (seq)
        {
            case SeqStart:
            case SeqContinue:
                _hash = sha;
                return Ok(export ? ContextTlv(sha) : [], us);
            case SeqIntermediate:
                var copy = ImportContext(ExportContext(sha))!;
                _hash = sha;
                return Ok([TagDigest, 0x00, 0x20, .. copy.Finish(), .. export ? ContextTlv(sha) : []], us);
            default: /* start&final, final */
                _hash = null;
                return Ok([TagDigest, 0x00, 0x20, .. sha.Finish()], us);
        }
    }

    /// <summary>SHA-256 on the chip: ~5 KB/s on a Trust X (DS-X Table 15), ~15 KB/s on a Trust M (DS-M Table 18).</summary>
    private int HashUs(int bytes) => 2000 + bytes * Durations.HashUsPerByte;

    private byte[] ContextTlv(Sha256 sha)
    {
        byte[] context = ExportContext(sha);
        return [TagContextImport, (byte)(context.Length >> 8), (byte)context.Length, .. context];
    }

    private byte[] ExportContext(Sha256 sha)
    {
        var context = new byte[state.Part.HashContextLength];
        sha.ExportState(context, 0);
        HMACSHA256.HashData(state.ContextKey, context.AsSpan(0, context.Length - ContextTagLength)).AsSpan(0, ContextTagLength)
            .CopyTo(context.AsSpan(context.Length - ContextTagLength));
        return context;
    }

    private Sha256? ImportContext(byte[] context)
    {
        if (context.Length != state.Part.HashContextLength) return null;
        var expected = HMACSHA256.HashData(state.ContextKey, context.AsSpan(0, context.Length - ContextTagLength)).AsSpan(0, ContextTagLength);
        if (!CryptographicOperations.FixedTimeEquals(expected, context.AsSpan(context.Length - ContextTagLength))) return null;
        var sha = new Sha256();
        return sha.ImportState(context, 0) ? sha : null;
    }
}

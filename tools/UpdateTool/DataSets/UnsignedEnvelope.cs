using SecureOta.Core.Cbor;
using SecureOta.Core.Crypto;
using SecureOta.Core.Suit;

namespace SecureOta.UpdateTool.DataSets;

/// <summary>
/// The intermediate file of external signing: a SUIT envelope whose authentication wrapper holds the
/// manifest digest but no signature yet. Devices and `verify` refuse it (no signature); `sign prepare`
/// reads the bytes to sign from it and `sign assemble` turns it into the signed data set.
/// </summary>
public static class UnsignedEnvelope
{
    public sealed record Parts(byte[] Manifest, string? PayloadKey, long PayloadOffset, long PayloadLength);

    public static byte[] BuildHeader(ISha256 sha, byte[] manifest, string? payloadKey, long payloadLength)
    {
        var auth = new CborWriter(64);
        auth.WriteArrayHeader(1);
        auth.WriteByteString(SuitBuilder.ManifestDigest(sha, manifest));
        var env = new CborWriter(manifest.Length + 128);
        env.WriteTag(SuitLabels.TagEnvelope);
        env.WriteMapHeader(payloadKey is null ? 2 : 3);
        env.WriteInt64(SuitLabels.EnvelopeAuthentication);
        env.WriteByteString(auth.ToArray());
        env.WriteInt64(SuitLabels.EnvelopeManifest);
        env.WriteByteString(manifest);
        if (payloadKey is not null)
        {
            env.WriteTextString(payloadKey);
            env.WriteByteStringHeader(payloadLength);
        }
        return env.ToArray();
    }

    public static Parts Read(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: no such file");
        long fileLength = new FileInfo(path).Length;
        var header = ReadPrefix(path, SuitEnvelopeReader.MaxHeaderLength);
        try
        {
            var r = new CborReader(header, 0, header.Length);
            if (r.ReadTag() != SuitLabels.TagEnvelope) throw new UserError($"{path}: not a SUIT envelope");
            int pairs = r.ReadMapHeader();
            byte[]? manifest = null;
            bool unsigned = false;
            for (int i = 0; i < pairs; i++)
            {
                if (r.PeekMajorType() == CborType.TextString)
                {
                    string key = r.ReadTextString(64);
                    long length = (long)r.ReadByteStringHeader();
                    if (manifest is null || !unsigned) break;
                    if (r.Position + length != fileLength) throw new UserError($"{path}: payload length does not match the file");
                    return new Parts(manifest, key, r.Position, length);
                }
                long k = r.ReadInt64();
                if (k == SuitLabels.EnvelopeAuthentication)
                {
                    int len;
                    int off = r.ReadByteString(out len);
                    unsigned = new CborReader(header, off, len).ReadArrayHeader() == 1;
                }
                else if (k == SuitLabels.EnvelopeManifest)
                {
                    manifest = r.ReadByteStringCopy(SuitEnvelopeReader.MaxHeaderLength);
                }
                else r.SkipItem();
            }
            if (manifest is null || !unsigned)
                throw new UserError($"{path}: not an unsigned data set from 'update-tool create --unsigned' (it is already signed, or not ours)");
            return new Parts(manifest, null, -1, 0);
        }
        catch (CborException e)
        {
            throw new UserError($"{path}: malformed unsigned data set at byte {e.Offset}: {e.Message}");
        }
    }

    internal static byte[] ReadPrefix(string path, int max)
    {
        using var input = new FileStream(path, FileMode.Open, FileAccess.Read);
        var buffer = new byte[(int)Math.Min(max, input.Length)];
        input.ReadExactly(buffer);
        return buffer;
    }
}

using System.Security.Cryptography;
using SecureOta.Core.Cose;
using SecureOta.Core.Host.Crypto;
using SecureOta.Core.Suit;

namespace SecureOta.DiffFuzz;

/// <summary>
/// Builds an envelope header (everything before the payload bytes) around a manifest, signed with the
/// test vendor key, as CBOR trees the fuzzer can mutate at the envelope level too: the authentication
/// wrapper, the COSE_Sign1 (protected and unprotected headers, signature) and how many signatures.
/// </summary>
public sealed class EnvelopeBuilder(ECDsa key, Random random)
{
    private readonly DotNetSha256 _sha = new();

    public byte[] Signature(byte[] manifest) => Es256Signature.ToLowS(key.SignData(SuitBuilder.ToBeSigned(_sha, manifest), HashAlgorithmName.SHA256));

    /// <summary>The header; envelopeMutation (when not null) says what was changed outside the manifest.</summary>
    public byte[] Build(byte[] manifest, byte[] signature, string payloadKey, ulong payloadLength, Mutator? mutator, out string? envelopeMutation)
    {
        envelopeMutation = null;
        var digest = CborNode.Decode(SuitBuilder.ManifestDigest(_sha, manifest));
        var sign1 = CborNode.Decode(CoseSign1.Encode(CoseSign1.Es256ProtectedHeader(), signature));
        var auth = new CborNode { Major = 4, Children = [Wrap(digest), Wrap(sign1)] };
        switch (mutator is null ? -1 : random.Next(12))
        {
            case 0:
                // unprotected header gets a kid (COSE label 4)
                sign1.Children[0].Children[1].Children.AddRange([CborNode.UInt(4), CborNode.Bstr([1, 2, 3, 4])]);
                envelopeMutation = "unprotected kid added";
                break;
            case 1:
                auth.Children.Add(Wrap(sign1.Clone()));
                envelopeMutation = "second signature";
                break;
            case 2:
                sign1.Children[0].Children[3].Bytes = Es256Signature.WithNegatedS(signature);
                envelopeMutation = "signature s replaced by n - s";
                break;
            case 3:
                envelopeMutation = "auth wrapper: " + mutator!.Mutate(auth);
                break;
        }
        var o = new List<byte>();
        CborNode.WriteHead(o, 6, SuitLabels.TagEnvelope, 0);
        CborNode.WriteHead(o, 5, 3, 0);
        o.AddRange(CborNode.UInt((ulong)SuitLabels.EnvelopeAuthentication).Encode());
        o.AddRange(Wrap(auth).Encode());
        o.AddRange(CborNode.UInt((ulong)SuitLabels.EnvelopeManifest).Encode());
        o.AddRange(CborNode.Bstr(manifest).Encode());
        o.AddRange(CborNode.Tstr(payloadKey).Encode());
        CborNode.WriteHead(o, 2, payloadLength, 0);
        return o.ToArray();
    }

    private static CborNode Wrap(CborNode inner) => new() { Major = 2, Inner = inner };
}

using System.Security.Cryptography;
using SecureOta.Agent.Update.Api;
using SecureOta.Core.Host.Crypto;

namespace SecureOta.UpdateServer.Security;

/// <summary>
/// Signs the update channel's freshness statement (docs/device-api.md 3a) with the channel key: the board's
/// nonce, its id, the newest sequence released to its class, the server's time, as the detached payload of an
/// ES256 COSE_Sign1 (RFC 9052 section 4.4, the Sig_structure the data sets' signatures use; the board's chip
/// verifies it against its trust anchor 0xE0E8). Why a key of its own and not the vendor's: it is online (it
/// signs every check-in), so it lives on the server; whoever steals it can only delay updates (announce
/// nothing new, or claim the channel fresh), never sign an image (TUF's timestamp role, for the same reason).
/// </summary>
public sealed class FreshnessSigner(ECDsa key)
{
    /// <summary>The statement (CBOR) and its COSE_Sign1, both as lower-case hex for the JSON answer.</summary>
    public (string Payload, string Signature) Sign(byte[] nonce, string deviceId, long newestSequence, long serverTime)
    {
        var statement = new FreshnessStatement { Nonce = nonce, DeviceId = deviceId, NewestSequence = newestSequence, ServerTime = serverTime }.Encode();
        return (Convert.ToHexStringLower(statement), Convert.ToHexStringLower(DetachedSign1.Sign(key, statement)));
    }
}

using System.Security.Cryptography;

namespace SecureOta.ChipEmulator;

/// <summary>
/// Trust X one-way authentication (X-CMDC CmdLib_SetAuthScheme and CmdLib_GetSignature, compiled in every
/// build of the Trust X host library; optiga-trust.md 2.3): SetAuthScheme 0x10 with the ECDSA scheme 0x91
/// names the private key, SetAuthMsg 0x19/0x01 gives the challenge (8 to 256 bytes), GetAuthMsg 0x18/0x02
/// answers the signature. What is signed is the challenge under ECDSA with SHA-256: the Trust X
/// integration library verifies the answer as a signature over the challenge itself with the key from
/// the device certificate, after wrapping the two INTEGERs in a SEQUENCE (arduino-optiga-trust-x
/// src/optiga_trustx/IntegrationLib.c, IntLib_AuthenticateEndEntity and IntLib_FormatSignature), so the
/// answer has CalcSign's format. The DTLS client scheme 0x99 is in ApduProcessor.Dtls.cs.
/// Choices where the sources are silent: the key is checked when the scheme is set (execute condition
/// and the authentication usage), a challenge is signed once (a second GetAuthMsg is out of sequence),
/// and a reset forgets the scheme and the challenge.
/// </summary>
public sealed partial class ApduProcessor
{
    public const byte SchemeEcdsa = 0x91, SchemeDtlsClient = 0x99; /* X-CMDH eAuthScheme_d */
    private const byte ParamSetAuthMsg = 0x01, ParamGetAuthMsg = 0x02; /* X-CMDC PARAM_SET_AUTH_MSG, PARAM_GET_AUTH_MSG */
    public const int ChallengeMin = 8, ChallengeMax = 256; /* X-CMDC CHALLENGE_MIN_LEN, CHALLENGE_MAX_LEN */
    public const int SetAuthSchemeUs = 100; /* chosen: not in the datasheet (docs/security-chip.md, durations) */

    private int _authKeyOid = -1;
    private byte[]? _challenge;

    // SetAuthScheme: param the scheme, InData the private key OID.
    private (byte[], int) SetAuthScheme(byte param, byte[] d)
    {
        ForgetAuthScheme();
        if (param == SchemeDtlsClient) return SetDtlsScheme(d); /* ApduProcessor.Dtls.cs */
        if (param != SchemeEcdsa) return Fail(0x03, 0);
        if (d.Length != 2) return Fail(0x05, 0);
        int oid = Oid(d);
        var (key, error) = PrivateKey(oid, ChipState.UsageAuth);
        if (key is null) return Fail(error, 0);
        _authKeyOid = oid;
        return Ok([], SetAuthSchemeUs);
    }

    private (byte[], int) SetAuthMessage(byte param, byte[] d)
    {
        if (param != ParamSetAuthMsg) return Fail(0x03, 0);
        if (_authKeyOid < 0) return Fail(0x0B, 0);
        if (d.Length < ChallengeMin || d.Length > ChallengeMax) return Fail(0x05, 0);
        _challenge = d;
        return Ok([], GetDataUs);
    }

    private (byte[], int) GetAuthMessage(byte param, byte[] d)
    {
        if (param != ParamGetAuthMsg) return Fail(0x03, SignUs);
        if (d.Length != 0) return Fail(0x05, SignUs);
        if (_authKeyOid < 0 || _challenge is null) return Fail(0x0B, SignUs);
        var challenge = _challenge;
        _challenge = null;
        // The key is looked up again: its object may have changed since the scheme was set.
        var (pkcs8, error) = PrivateKey(_authKeyOid, ChipState.UsageAuth);
        if (pkcs8 is null) return Fail(error, SignUs);
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        return EcdsaAnswer(key, SHA256.HashData(challenge));
    }

    private void ForgetAuthScheme()
    {
        _authKeyOid = -1;
        _challenge = null;
    }
}

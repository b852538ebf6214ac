using System.Security.Cryptography;

namespace SecureOta.ChipEmulator;

/// <summary>
/// Trust M authorization by HMAC (M-CRYPT optiga_crypt_generate_auth_code, optiga_crypt_hmac_verify,
/// optiga_crypt_clear_auto_state; M-CMD optiga_cmd_get_random_handler, optiga_cmd_enc_dec_sym_handler;
/// M-EX example_optiga_hmac_verify_with_authorization_reference). GetRandom (TRNG/DRNG) with a session
/// OID and optional data (41) answers the random and keeps optional data ‖ random in the session as an
/// authorization code. DecryptSym in an HMAC mode is the verification: InData secret OID[2],
/// sequence[1] (start and final only: the library sends one packet), length[2] = 2 + n, the session
/// OID[2], n bytes of data, then 43 the HMAC. The data must begin with the session's authorization code
/// (used once); the secret must be an AUTOREF object (type 0x31) whose execute condition is met. A match
/// sets the secret's auto state, which satisfies Auto(OID) conditions until reset, CloseApplication or a
/// failed verification with that secret. The SRM's text on this is not at hand: that a failure clears
/// the auto state is read from the library, whose clear_auto_state sends a verification without data
/// and ignores the answer.
/// </summary>
public sealed partial class ApduProcessor
{
    public const byte TypeAutoRef = 0x31;
    private const int AuthCodeMin = 8, AuthCodeMax = 0x42; /* M-CRYPT OPTIGA_CRYPT_MINIMUM_RANDOM_DATA_LENGTH, OPTIGA_CRYPT_MAX_AUTH_CODE_LENGTH */

    private readonly HashSet<int> _autoStates = [];

    /// <summary>The AUTOREF secrets whose auto state is set (for tests).</summary>
    public bool HasAutoState(int secretOid) => _autoStates.Contains(secretOid);

    // GetRandom 00/01 with InData length[2] ‖ session OID[2] ‖ 41 optional data.
    private (byte[], int) AuthorizationCode(byte[] d)
    {
        if (d.Length < 7) return Fail(0x04, RandomUs);
        int n = (d[0] << 8) | d[1], session = (d[2] << 8) | d[3];
        var t = Tlvs(d.AsSpan(4).ToArray());
        if (!SessionContext.IsSession(session) || t is null || t.Count != 1 || !t.TryGetValue(0x41, out var optional)) return Fail(0x05, RandomUs);
        if (n < AuthCodeMin || optional.Length + n > AuthCodeMax) return Fail(0x05, RandomUs);
        var random = RandomNumberGenerator.GetBytes(n);
        _sessions[session] = new SessionContext { AuthorizationCode = [.. optional, .. random] };
        return Ok(random, RandomUs);
    }

    private (byte[], int) HmacVerify(int secretOid, int seq, byte mode, byte[] sessionAndData, byte[] tlvs)
    {
        if (!state.Objects.TryGetValue(secretOid, out var secret)) return Fail(0x01, Durations.HmacUs);
        byte error = Verification(secret, seq, mode, sessionAndData, tlvs);
        if (error != 0)
        {
            _autoStates.Remove(secretOid);
            return Fail(error, ProtectedOperation(Durations.HmacUs));
        }
        _autoStates.Add(secretOid);
        return Ok([], ProtectedOperation(Durations.HmacUs));
    }

    private byte Verification(DataObject secret, int seq, byte mode, byte[] sessionAndData, byte[] tlvs)
    {
        if (secret.Type != TypeAutoRef || !Allows(secret.Execute, secret)) return 0x07;
        if (seq != 0x01 || sessionAndData.Length < 2) return 0x05;
        int session = (sessionAndData[0] << 8) | sessionAndData[1];
        var data = sessionAndData[2..];
        var t = Tlvs(tlvs);
        if (t is null || t.Count != 1 || !t.TryGetValue(TagVerification, out var expected)) return 0x05;
        if (!_sessions.TryGetValue(session, out var context) || context.AuthorizationCode is not { } code) return 0x2F;
        context.AuthorizationCode = null; /* one verification per code */
        if (data.Length < code.Length || !data.AsSpan(0, code.Length).SequenceEqual(code)) return 0x2F;
        var hash = mode == ModeHmac256 ? HashAlgorithmName.SHA256 : mode == ModeHmac384 ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
        var actual = CryptographicOperations.HmacData(hash, secret.Data, data);
        return CryptographicOperations.FixedTimeEquals(actual, expected) ? (byte)0 : (byte)0x2F;
    }
}

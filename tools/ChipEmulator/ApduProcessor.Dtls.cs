using System.Security.Cryptography;
using SecureOta.ChipEmulator.Dtls;
using static SecureOta.ChipEmulator.Dtls.DtlsProtocol;

namespace SecureOta.ChipEmulator;

/// <summary>
/// The Trust X's on-chip DTLS client as the Trust X host library drives it (X-CMDC, compiled with
/// MODULE_ENABLE_DTLS_MUTUAL_AUTH; optiga/dtls/OCP.c OCP_Connect): SetAuthScheme 0x99 with the private key
/// OID and the session OID; GetMessage 0x1A with the message to make (answer: tag 0x6y, length, the
/// handshake message with its 12-byte header, fragmented start 0x60 / continue 0x62 / final 0x61 when
/// longer than the chip's buffer); PutMessage 0x1B with a whole server message (tag 0x61); Encrypt 0x1A/0x61
/// and Decrypt 0x1B/0x51 of records (tags 0x61 in, 0x51 out and the reverse); GetMessage 0x71 closes the
/// session. The server's certificate is checked against the trust anchor in E0E8 (chosen: the Trust X SRM
/// is not at hand; E0E8 is the Trust X's first trust anchor object). What the chip does is in
/// <see cref="DtlsClientSession"/> and <see cref="RecordProtection"/>.
/// </summary>
public sealed partial class ApduProcessor
{
    public const int OidDtlsTrustAnchor = 0xE0E8;
    public const int OidDtlsDefaultCertificate = 0xE0E0;

    // Chosen durations (the datasheet gives none for these; docs/security-chip.md "Durations"): making or taking
    // a message 1 ms, a record 1 ms + 2 µs per byte; the ECC parts are the part's own figures.
    public const int DtlsMessageUs = 1000, DtlsRecordUs = 1000, DtlsRecordPerByteUs = 2;

    private DtlsClientSession? _dtls;
    private Queue<byte[]>? _dtlsPending;
    private byte _dtlsPendingParam;

    /// <summary>The DTLS session's state, for tests: null when none is set up.</summary>
    public DtlsClientSession? DtlsSession => _dtls;

    private void ForgetDtls()
    {
        _dtls?.Fail();
        _dtls = null;
        _dtlsPending = null;
    }

    // SetAuthScheme 0x99: InData = private key OID[2] ‖ session OID[2] (X-CMDC CmdLib_SetAuthScheme).
    private (byte[], int) SetDtlsScheme(byte[] d)
    {
        ForgetDtls();
        if (d.Length != 4) return Fail(0x05, 0);
        int keyOid = (d[0] << 8) | d[1], sessionOid = (d[2] << 8) | d[3];
        if (!SessionContext.IsSession(sessionOid)) return Fail(0x01, 0);
        var (key, error) = PrivateKey(keyOid, ChipState.UsageAuth);
        if (key is null) return Fail(error, 0);
        _sessions.Remove(sessionOid); /* the session context now holds the DTLS session */
        _dtls = new DtlsClientSession(sessionOid, keyOid);
        return Ok([], SetAuthSchemeUs);
    }

    private (byte[], int) GetMessage(byte param, byte[] d)
    {
        if (param == ParamEncrypt) return ProtectRecord(d, encrypt: true);
        if (d.Length < 2) return Fail(0x05, 0);
        var session = DtlsFor(d);
        if (session is null) return Fail(SessionContext.IsSession(Oid(d[..2])) ? (byte)0x0B : (byte)0x01, 0);
        if (param == CloseSession)
        {
            if (d.Length != 2) return Fail(0x05, 0);
            ForgetDtls();
            return Ok([], GetDataUs);
        }
        if (_dtlsPending is { Count: > 0 } && _dtlsPendingParam == param) return NextFragment(0);
        _dtlsPending = null;
        var t = Tlvs(d[2..]);
        if (t is null) return DtlsFail(0x05, 0);
        (byte[]? message, byte error, int us) = param switch
        {
            ClientHello when OnlyTag(t, TagUnixTime, 4) => With(session.ClientHello(t.TryGetValue(TagUnixTime, out var time) ? (uint)((time[0] << 24) | (time[1] << 16) | (time[2] << 8) | time[3]) : null), RandomUs),
            ClientHelloWithCookie when t.Count == 0 => With(session.ClientHelloWithCookie(), DtlsMessageUs),
            Certificate when OnlyTag(t, TagCertificateOid, 2) => ClientCertificate(session, t),
            ClientKeyExchange when t.Count == 0 => With(session.ClientKeyExchange(), KeyGenUs + EcdhUs + Durations.TlsPrfUs),
            CertificateVerify when t.Count == 0 => DtlsCertificateVerify(session),
            Finished when t.Count == 0 => With(session.ClientFinished(), Durations.TlsPrfUs),
            ClientHello or ClientHelloWithCookie or Certificate or ClientKeyExchange or CertificateVerify or Finished => (null, (byte)0x05, 0),
            _ => (null, (byte)0x03, 0),
        };
        if (message is null) return DtlsFail(error, us);
        // What fits in one answer: the buffer less the APDU header, the tag and the handshake header (at least
        // 64 bytes, so a state file with a nonsensical E0C6 cannot stall the chip).
        int maxBody = Math.Max(64, MaxCommsBuffer() - 4 - 3 - HandshakeHeaderLength);
        _dtlsPending = new Queue<byte[]>(HandshakeMessage.Fragments(message, maxBody));
        _dtlsPendingParam = param;
        return NextFragment(us);
    }

    private static (byte[]?, byte, int) With((byte[]? Message, byte Error) r, int us) => (r.Message, r.Error, us);

    // The tags allowed: none, or this one with this length.
    private static bool OnlyTag(Dictionary<byte, byte[]> t, byte tag, int length) =>
        t.Count == 0 || (t.Count == 1 && t.TryGetValue(tag, out var v) && v.Length == length);

    private (byte[]?, byte, int) ClientCertificate(DtlsClientSession session, Dictionary<byte, byte[]> t)
    {
        byte[]? certificate = null;
        if (t.TryGetValue(TagCertificateOid, out var oidBytes))
        {
            if (!state.Objects.TryGetValue(Oid(oidBytes), out var o) || o.Data.Length == 0) return (null, 0x01, DtlsMessageUs);
            certificate = o.Data;
        }
        return With(session.ClientCertificate(certificate), DtlsMessageUs);
    }

    // CertificateVerify: the scheme's key signs the handshake hash (usage Auth, looked up again: it may have changed).
    private (byte[]?, byte, int) DtlsCertificateVerify(DtlsClientSession session)
    {
        if (!session.CertificateVerifyAllowed) return (null, 0x0B, 0);
        var (pkcs8, error) = PrivateKey(session.KeyOid, ChipState.UsageAuth);
        if (pkcs8 is null) return (null, error, SignUs);
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        var signature = key.SignHash(session.TranscriptHash(), DSASignatureFormat.Rfc3279DerSequence);
        return With(session.CertificateVerify(signature), ProtectedOperation(ForCurve(SignUs, key)));
    }

    private (byte[], int) NextFragment(int us)
    {
        var fragment = _dtlsPending!.Dequeue();
        byte sequence = _dtlsPending.Count == 0 ? FragmentFinal : IsFirst(fragment) ? FragmentStart : FragmentContinue;
        if (_dtlsPending.Count == 0) _dtlsPending = null;
        return Ok([(byte)(TagUnprotected | sequence), (byte)(fragment.Length >> 8), (byte)fragment.Length, .. fragment], us + GetDataUs);
    }

    private static bool IsFirst(byte[] fragment) => HandshakeMessage.ReadU24(fragment, 6) == 0;

    private (byte[], int) PutMessage(byte param, byte[] d)
    {
        if (param == ParamDecrypt) return ProtectRecord(d, encrypt: false);
        if (d.Length < 5) return Fail(0x05, 0);
        var session = DtlsFor(d);
        if (session is null) return Fail(SessionContext.IsSession(Oid(d[..2])) ? (byte)0x0B : (byte)0x01, 0);
        _dtlsPending = null;
        // One whole message, tag 0x61 (X-CMDC CmdLib_PutMessage: no chaining, TAG_UNPROTECTED | eFinal).
        if (d[2] != (TagUnprotected | FragmentFinal) || ((d[3] << 8) | d[4]) != d.Length - 5) return DtlsFail(0x05, 0);
        if (param is not (HelloVerifyRequest or ServerHello or Certificate or ServerKeyExchange or CertificateRequest or ServerHelloDone or Finished))
            return DtlsFail(0x03, 0);
        byte[]? anchor = state.Objects.TryGetValue(OidDtlsTrustAnchor, out var ta) && Allows(ta.Execute, ta) ? ta.Data : null;
        int us = param switch
        {
            Certificate or ServerKeyExchange => VerifyUs,
            Finished => Durations.TlsPrfUs,
            _ => DtlsMessageUs,
        };
        byte error = session.Put(param, d[5..], anchor);
        return error == 0 ? Ok([], us) : DtlsFail(error, us);
    }

    // Encrypt (tag 0x61 in, 0x51 out) or Decrypt (0x51 in, 0x61 out) of one record; no chaining (X-CMDC
    // CmdLib_Encrypt: "The current implementation of Security chip does not support command chaining").
    // Before the server's Finished only handshake records (the Finished) and alerts; a record that does not
    // authenticate is refused (0x2E) but leaves the session up, as DTLS discards it (RFC 6347 section 4.1.2.7).
    private (byte[], int) ProtectRecord(byte[] d, bool encrypt)
    {
        if (d.Length < 5) return Fail(0x05, 0);
        var session = DtlsFor(d);
        if (session is null) return Fail(SessionContext.IsSession(Oid(d[..2])) ? (byte)0x0B : (byte)0x01, 0);
        byte inTag = encrypt ? (byte)(TagUnprotected | FragmentFinal) : (byte)(TagProtected | FragmentFinal);
        byte outTag = encrypt ? (byte)(TagProtected | FragmentFinal) : (byte)(TagUnprotected | FragmentFinal);
        if (d[2] != inTag || ((d[3] << 8) | d[4]) != d.Length - 5) return Fail(0x05, 0);
        var records = session.Records;
        if (records is null) return Fail(0x0B, 0);
        var input = d[5..];
        byte type = RecordProtection.ContentType(input);
        if (type == ContentApplicationData && !session.Connected) return Fail(0x0B, 0);
        int us = DtlsRecordUs + DtlsRecordPerByteUs * input.Length;
        var (output, error) = encrypt ? records.Encrypt(input) : records.Decrypt(input);
        if (output is null) return Fail(error, us);
        return Ok([outTag, (byte)(output.Length >> 8), (byte)output.Length, .. output], us);
    }

    // The DTLS session the command names (its first two bytes), if it is the one set up and still usable.
    private DtlsClientSession? DtlsFor(byte[] d) =>
        _dtls is { Failed: false } s && s.SessionOid == ((d[0] << 8) | d[1]) ? s : null;

    // A refused handshake step ends the session (fail closed: the host starts again with SetAuthScheme).
    private (byte[], int) DtlsFail(byte code, int us)
    {
        _dtls?.Fail();
        _dtlsPending = null;
        return Fail(code, us);
    }

    private int MaxCommsBuffer() =>
        state.Objects.TryGetValue(ChipState.OidMaxComBuffer, out var o) && o.Data.Length == 2 ? (o.Data[0] << 8) | o.Data[1] : 0x0615;
}

using System.Security.Cryptography;
using System.Text;
using static SecureOta.ChipEmulator.Dtls.DtlsProtocol;

namespace SecureOta.ChipEmulator.Dtls;

/// <summary>
/// The chip's side of a DTLS 1.2 client handshake with TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (RFC 6347, RFC 5246,
/// RFC 8422, RFC 7251), in the order the Trust X host library's flights ask for it (optiga/dtls/
/// DtlsHandshakeProtocol.c: flight 1 ClientHello; 2 HelloVerifyRequest; 3 ClientHello with cookie; 4 ServerHello,
/// Certificate, ServerKeyExchange, CertificateRequest (optional), ServerHelloDone; 5 Certificate and
/// CertificateVerify (only when requested), ClientKeyExchange, the host's ChangeCipherSpec, Finished;
/// 6 the server's ChangeCipherSpec and Finished). The chip keeps the handshake hash, checks the server's
/// certificate against its trust anchor and its ServerKeyExchange signature, makes the ephemeral key, the
/// master secret and the record keys, and never lets them out; records are protected by <see cref="RecordProtection"/>.
/// Anything out of this order is refused (0x0B) and a refused message ends the handshake (fail closed):
/// the host must start again with SetAuthScheme.
/// </summary>
public sealed class DtlsClientSession(int sessionOid, int keyOid)
{
    private enum Step { Start, HelloSent, VerifyRequested, CookieHelloSent, ServerHello, ServerCertificate, ServerKeyExchange, HelloDone, ClientCertificate, ClientKeyExchange, CertificateVerify, ClientFinished, Connected, Failed }

    public int SessionOid { get; } = sessionOid;
    public int KeyOid { get; } = keyOid;

    private Step _step = Step.Start;
    private readonly MemoryStream _transcript = new();
    private byte[]? _firstHello;
    private byte[] _clientRandom = [];
    private byte[] _serverRandom = [];
    private byte[] _cookie = [];
    private int _clientSeq;
    private int _serverSeq = -1;
    private DateTimeOffset? _time;
    private ECDsa? _serverKey;
    private byte[] _serverPoint = [];
    private bool _certificateRequested, _certificateSent;
    private byte[] _master = [];

    /// <summary>The record keys, once the ClientKeyExchange is made.</summary>
    public RecordProtection? Records { get; private set; }

    /// <summary>Server Finished verified: application data may be protected.</summary>
    public bool Connected => _step == Step.Connected;

    /// <summary>A handshake ended by a refusal (or a closed session) takes nothing more.</summary>
    public bool Failed => _step == Step.Failed;

    public void Fail()
    {
        _step = Step.Failed;
        _serverKey?.Dispose();
        _serverKey = null;
        Records = null;
        CryptographicOperations.ZeroMemory(_master);
    }

    /// <summary>The digest CertificateVerify signs: SHA-256 over the handshake so far (RFC 5246 section 7.4.8).</summary>
    public byte[] TranscriptHash() => SHA256.HashData(_transcript.ToArray());

    // ---- the messages the chip makes (GetMessage) ----

    /// <summary>ClientHello (RFC 6347 section 4.2.1): gmt_unix_time from the host's tag, else random.</summary>
    public (byte[]? Message, byte Error) ClientHello(uint? unixTime)
    {
        if (_step != Step.Start) return (null, 0x0B);
        _clientRandom = RandomNumberGenerator.GetBytes(32);
        if (unixTime is { } t)
        {
            (_clientRandom[0], _clientRandom[1], _clientRandom[2], _clientRandom[3]) = ((byte)(t >> 24), (byte)(t >> 16), (byte)(t >> 8), (byte)t);
            _time = DateTimeOffset.FromUnixTimeSeconds(t);
        }
        _firstHello = HandshakeMessage.Build(DtlsProtocol.ClientHello, _clientSeq++, HelloBody());
        _step = Step.HelloSent;
        return (_firstHello, 0);
    }

    /// <summary>The second ClientHello, the same but for the cookie; the handshake hash starts with it (RFC 6347 section 4.2.1).</summary>
    public (byte[]? Message, byte Error) ClientHelloWithCookie()
    {
        if (_step != Step.VerifyRequested) return (null, 0x0B);
        var hello = HandshakeMessage.Build(DtlsProtocol.ClientHello, _clientSeq++, HelloBody());
        _transcript.SetLength(0);
        Append(hello);
        _step = Step.CookieHelloSent;
        return (hello, 0);
    }

    private byte[] HelloBody()
    {
        byte[] extensions =
        [
            .. Extension(ExtSupportedGroups, [0x00, 0x02, GroupSecp256r1 >> 8, GroupSecp256r1 & 0xFF]),
            .. Extension(ExtPointFormats, [0x01, PointFormatUncompressed]),
            .. Extension(ExtSignatureAlgorithms, [0x00, 0x02, SignatureEcdsaSha256 >> 8, SignatureEcdsaSha256 & 0xFF]),
            .. Extension(ExtRenegotiationInfo, [0x00]),
        ];
        return
        [
            Version12 >> 8, Version12 & 0xFF, .. _clientRandom,
            0x00, /* no session to resume */
            (byte)_cookie.Length, .. _cookie,
            0x00, 0x02, CipherSuite >> 8, CipherSuite & 0xFF,
            0x01, 0x00, /* null compression */
            (byte)(extensions.Length >> 8), (byte)extensions.Length, .. extensions,
        ];
    }

    private static byte[] Extension(int type, byte[] data) => [(byte)(type >> 8), (byte)type, (byte)(data.Length >> 8), (byte)data.Length, .. data];

    /// <summary>The client's Certificate: the list from the certificate object, or an empty list when the host names none (X-CMDC CmdLib_GetMessage).</summary>
    public (byte[]? Message, byte Error) ClientCertificate(byte[]? certificateObject)
    {
        if (_step != Step.HelloDone || !_certificateRequested) return (null, 0x0B);
        byte[] list;
        if (certificateObject is null) list = [0, 0, 0];
        else if (certificateObject.Length > 0 && certificateObject[0] == 0x30)
            list = [.. HandshakeMessage.U24(certificateObject.Length + 3), .. HandshakeMessage.U24(certificateObject.Length), .. certificateObject];
        else if (certificateObject.Length > 6 && certificateObject[0] == 0xC0 && ((certificateObject[1] << 8) | certificateObject[2]) == certificateObject.Length - 3
                 && HandshakeMessage.ReadU24(certificateObject, 3) == certificateObject.Length - 6)
            list = certificateObject.AsSpan(3).ToArray(); /* a TLS identity (optiga-trust.md "certificate objects") is already a certificate_list */
        else return (null, ErrorInvalidCertificate);
        _certificateSent = certificateObject is not null;
        var message = HandshakeMessage.Build(DtlsProtocol.Certificate, _clientSeq++, list);
        Append(message);
        _step = Step.ClientCertificate;
        return (message, 0);
    }

    /// <summary>ClientKeyExchange: a fresh P-256 key (RFC 8422 section 5.7); then the master secret and the record keys (RFC 5246 sections 8.1, 6.3).</summary>
    public (byte[]? Message, byte Error) ClientKeyExchange()
    {
        if (!(_step == Step.HelloDone && !_certificateRequested) && _step != Step.ClientCertificate) return (null, 0x0B);
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = ephemeral.ExportParameters(false).Q;
        byte[] point = [0x04, .. q.X!, .. q.Y!];
        byte[] premaster;
        using (var peer = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = _serverPoint[1..33], Y = _serverPoint[33..65] },
        }))
        {
            premaster = ephemeral.DeriveRawSecretAgreement(peer.PublicKey);
        }
        _master = Prf.Derive(HashAlgorithmName.SHA256, premaster, [.. "master secret"u8, .. _clientRandom, .. _serverRandom], 48);
        CryptographicOperations.ZeroMemory(premaster);
        var block = Prf.Derive(HashAlgorithmName.SHA256, _master, [.. "key expansion"u8, .. _serverRandom, .. _clientRandom], 2 * KeyLength + 2 * FixedIvLength);
        Records = new RecordProtection(block);
        CryptographicOperations.ZeroMemory(block);
        var message = HandshakeMessage.Build(DtlsProtocol.ClientKeyExchange, _clientSeq++, [(byte)point.Length, .. point]);
        Append(message);
        _step = Step.ClientKeyExchange;
        return (message, 0);
    }

    /// <summary>CertificateVerify over the handshake hash, with the signature the processor made with the scheme's key (RFC 5246 section 7.4.8).</summary>
    public bool CertificateVerifyAllowed => _step == Step.ClientKeyExchange && _certificateSent;

    public (byte[]? Message, byte Error) CertificateVerify(byte[] derSignature)
    {
        if (!CertificateVerifyAllowed) return (null, 0x0B);
        var message = HandshakeMessage.Build(DtlsProtocol.CertificateVerify, _clientSeq++,
            [SignatureEcdsaSha256 >> 8, SignatureEcdsaSha256 & 0xFF, (byte)(derSignature.Length >> 8), (byte)derSignature.Length, .. derSignature]);
        Append(message);
        _step = Step.CertificateVerify;
        return (message, 0);
    }

    /// <summary>The client's Finished (RFC 5246 section 7.4.9); a sent certificate must have been proven first.</summary>
    public (byte[]? Message, byte Error) ClientFinished()
    {
        if (!(_step == Step.ClientKeyExchange && !_certificateSent) && _step != Step.CertificateVerify) return (null, 0x0B);
        var message = HandshakeMessage.Build(DtlsProtocol.Finished, _clientSeq++, VerifyData("client finished"));
        Append(message);
        _step = Step.ClientFinished;
        return (message, 0);
    }

    private byte[] VerifyData(string label) =>
        Prf.Derive(HashAlgorithmName.SHA256, _master, [.. Encoding.ASCII.GetBytes(label), .. TranscriptHash()], VerifyDataLength);

    // ---- the messages the host puts (PutMessage) ----

    /// <summary>One server message, whole, with its header; 0 or the chip's error code.</summary>
    public byte Put(byte type, byte[] message, byte[]? trustAnchor)
    {
        var body = HandshakeMessage.Body(message, type, out int seq);
        if (body is null) return ErrorInvalidHandshakeMessage;
        if (type == HelloVerifyRequest) return HelloVerify(body);
        // Server messages after the ServerHello follow one another (RFC 6347 section 4.2.2).
        if (type != ServerHello && seq != _serverSeq + 1) return ErrorInvalidHandshakeMessage;
        byte error = type switch
        {
            ServerHello => PutServerHello(body),
            Certificate => PutCertificate(body, trustAnchor),
            ServerKeyExchange => PutServerKeyExchange(body),
            CertificateRequest => PutCertificateRequest(body),
            ServerHelloDone => PutHelloDone(body),
            Finished => PutServerFinished(body),
            _ => (byte)0x03,
        };
        if (error != 0) return error;
        _serverSeq = seq;
        if (type != Finished) Append(message);
        return 0;
    }

    // HelloVerifyRequest: server_version, cookie<0..2^8-1> (RFC 6347 section 4.2.1); the first hello leaves the hash.
    private byte HelloVerify(byte[] body)
    {
        if (_step != Step.HelloSent) return 0x0B;
        var r = new BodyReader(body);
        int version = r.U16();
        var cookie = r.Vector(1);
        if (r.Failed || !r.AtEnd) return ErrorInvalidHandshakeMessage;
        if (version is not (Version12 or Version10)) return ErrorVersionMismatch;
        _cookie = cookie;
        _firstHello = null;
        _step = Step.VerifyRequested;
        return 0;
    }

    private byte PutServerHello(byte[] body)
    {
        if (_step is not (Step.HelloSent or Step.CookieHelloSent)) return 0x0B;
        var r = new BodyReader(body);
        int version = r.U16();
        var random = r.Bytes(32);
        var sessionId = r.Vector(1);
        int suite = r.U16();
        int compression = r.U8();
        var extensions = r.AtEnd ? [] : r.Vector(2);
        if (r.Failed || !r.AtEnd || sessionId.Length > 32) return ErrorInvalidHandshakeMessage;
        if (version != Version12) return ErrorVersionMismatch;
        if (suite != CipherSuite) return ErrorCipherSuite;
        if (compression != 0) return ErrorUnsupportedParameters;
        byte error = CheckServerExtensions(extensions);
        if (error != 0) return error;
        if (_firstHello is not null) Append(_firstHello); /* no HelloVerifyRequest: the first hello is in the hash */
        _firstHello = null;
        _serverRandom = random;
        _step = Step.ServerHello;
        return 0;
    }

    // Only extensions the client offered may come back (RFC 5246 section 7.4.1.4): point formats with
    // uncompressed (RFC 8422 section 5.2), an empty renegotiation_info (RFC 5746 section 3.4).
    private static byte CheckServerExtensions(byte[] extensions)
    {
        var r = new BodyReader(extensions);
        var seen = new HashSet<int>();
        while (!r.AtEnd)
        {
            int type = r.U16();
            var data = r.Vector(2);
            if (r.Failed || !seen.Add(type)) return ErrorInvalidHandshakeMessage;
            if (type == ExtPointFormats)
            {
                if (data.Length < 2 || data[0] != data.Length - 1 || Array.IndexOf(data, PointFormatUncompressed, 1) < 0) return ErrorUnsupportedParameters;
            }
            else if (type == ExtRenegotiationInfo)
            {
                if (data is not [0x00]) return ErrorInvalidHandshakeMessage;
            }
            else return ErrorUnsupportedExtension;
        }
        return 0;
    }

    private byte PutCertificate(byte[] body, byte[]? trustAnchor)
    {
        if (_step != Step.ServerHello) return 0x0B;
        var r = new BodyReader(body);
        var list = r.Vector(3);
        if (r.Failed || !r.AtEnd) return ErrorInvalidCertificate;
        var chain = new List<byte[]>();
        var lr = new BodyReader(list);
        while (!lr.AtEnd)
        {
            var cert = lr.Vector(3);
            if (lr.Failed || cert.Length == 0) return ErrorInvalidCertificate;
            chain.Add(cert);
        }
        if (trustAnchor is null || trustAnchor.Length == 0) return ErrorInvalidTrustAnchor;
        var (key, error) = ServerCertificateCheck.Check(chain, trustAnchor, _time);
        if (key is null) return error;
        _serverKey = key;
        _step = Step.ServerCertificate;
        return 0;
    }

    // ServerKeyExchange for ECDHE_ECDSA: ECParameters (named_curve secp256r1), ECPoint, then the signature over
    // client_random ‖ server_random ‖ params with the certificate's key (RFC 8422 section 5.4).
    private byte PutServerKeyExchange(byte[] body)
    {
        if (_step != Step.ServerCertificate) return 0x0B;
        var r = new BodyReader(body);
        int curveType = r.U8();
        int curve = r.U16();
        var point = r.Vector(1);
        if (r.Failed) return ErrorInvalidHandshakeMessage;
        int paramsLength = 4 + point.Length;
        int algorithm = r.U16();
        var signature = r.Vector(2);
        if (r.Failed || !r.AtEnd) return ErrorInvalidHandshakeMessage;
        if (curveType != CurveTypeNamed || curve != GroupSecp256r1 || point.Length != 65 || point[0] != 0x04) return ErrorUnsupportedParameters;
        if (algorithm != SignatureEcdsaSha256) return ErrorUnsupportedCertificate;
        byte[] signed = [.. _clientRandom, .. _serverRandom, .. body.AsSpan(0, paramsLength)];
        bool ok;
        try
        {
            ok = _serverKey!.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            ok = false;
        }
        if (!ok) return ErrorSignature;
        if (!OnCurve(point)) return ErrorUnsupportedParameters;
        _serverPoint = point;
        _step = Step.ServerKeyExchange;
        return 0;
    }

    private static bool OnCurve(byte[] point)
    {
        try
        {
            using var k = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..65] } });
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    // CertificateRequest: certificate_types, supported_signature_algorithms, certificate_authorities (RFC 5246 section 7.4.4).
    private byte PutCertificateRequest(byte[] body)
    {
        if (_step != Step.ServerKeyExchange) return 0x0B;
        var r = new BodyReader(body);
        var types = r.Vector(1);
        var algorithms = r.Vector(2);
        r.Vector(2);
        if (r.Failed || !r.AtEnd || algorithms.Length % 2 != 0) return ErrorInvalidHandshakeMessage;
        bool ecdsaAllowed = false;
        for (int i = 0; i < algorithms.Length; i += 2) ecdsaAllowed |= ((algorithms[i] << 8) | algorithms[i + 1]) == SignatureEcdsaSha256;
        if (Array.IndexOf(types, CertificateTypeEcdsaSign) < 0 || !ecdsaAllowed) return ErrorUnsupportedParameters;
        _certificateRequested = true;
        return 0;
    }

    private byte PutHelloDone(byte[] body)
    {
        if (_step != Step.ServerKeyExchange) return 0x0B;
        if (body.Length != 0) return ErrorInvalidHandshakeMessage;
        _step = Step.HelloDone;
        return 0;
    }

    private byte PutServerFinished(byte[] body)
    {
        if (_step != Step.ClientFinished) return 0x0B;
        if (body.Length != VerifyDataLength || !CryptographicOperations.FixedTimeEquals(body, VerifyData("server finished"))) return ErrorSignature;
        _step = Step.Connected;
        return 0;
    }

    private void Append(byte[] message) => _transcript.Write(message);
}

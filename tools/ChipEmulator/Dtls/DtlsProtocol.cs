namespace SecureOta.ChipEmulator.Dtls;

/// <summary>
/// The protocol values of the Trust X's on-chip DTLS 1.2 client, named where the RFCs define them, and the
/// command interface (GetMessage 0x1A / PutMessage 0x1B) as the Trust X host library drives it
/// (X-CMDC = optiga/cmd/CommandLib.c and optiga/include/optiga/cmd/CommandLib.h of Infineon/optiga-trust-x 1.50).
/// </summary>
public static class DtlsProtocol
{
    /// <summary>DTLS 1.2 (RFC 6347 section 4.1: {254, 253}).</summary>
    public const int Version12 = 0xFEFD;

    /// <summary>DTLS 1.0 ({254, 255}); a HelloVerifyRequest may carry it (RFC 6347 section 4.2.1).</summary>
    public const int Version10 = 0xFEFF;

    /// <summary>TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (RFC 7251 section 2), the one suite SetAuthScheme 0x99 names (X-CMDH eDTLSClient).</summary>
    public const int CipherSuite = 0xC0AE;

    // Handshake types (RFC 5246 section 7.4, RFC 6347 section 4.3.2); the message parameters of
    // GetMessage and PutMessage are these values (X-CMDH eMsgType_d).
    public const byte ClientHello = 0x01, ServerHello = 0x02, HelloVerifyRequest = 0x03, Certificate = 0x0B,
        ServerKeyExchange = 0x0C, CertificateRequest = 0x0D, ServerHelloDone = 0x0E, CertificateVerify = 0x0F,
        ClientKeyExchange = 0x10, Finished = 0x14;

    /// <summary>GetMessage 0x1A's parameter for the ClientHello that carries the cookie (X-CMDH eClientHelloWithCookie).</summary>
    public const byte ClientHelloWithCookie = 0x03;

    /// <summary>GetMessage 0x1A's parameter that closes the session (X-CMDC CmdLib_CloseSession, eCloseSession).</summary>
    public const byte CloseSession = 0x71;

    /// <summary>Record protection on the same two commands: Encrypt = 0x1A param 0x61, Decrypt = 0x1B param 0x51 (X-CMDC PARAM_ENC_DATA, PARAM_DEC_DATA).</summary>
    public const byte ParamEncrypt = 0x61, ParamDecrypt = 0x51;

    // InData tags (X-CMDC): the message data tag's high nibble says plaintext (0x60) or protected (0x50), its
    // low nibble the fragment (0 start, 1 final, 2 continue); 0x31 gmt_unix_time, 0x32 certificate OID.
    public const byte TagUnprotected = 0x60, TagProtected = 0x50, TagUnixTime = 0x31, TagCertificateOid = 0x32;
    public const byte FragmentStart = 0x00, FragmentFinal = 0x01, FragmentContinue = 0x02;

    /// <summary>The 12-byte DTLS handshake header: type, length[3], message_seq[2], fragment_offset[3], fragment_length[3] (RFC 6347 section 4.2.2).</summary>
    public const int HandshakeHeaderLength = 12;

    /// <summary>The DTLS record header: type, version[2], epoch[2], sequence_number[6], length[2] (RFC 6347 section 4.1).</summary>
    public const int RecordHeaderLength = 13;

    // Record content types (RFC 5246 section 6.2.1).
    public const byte ContentAlert = 21, ContentHandshake = 22, ContentApplicationData = 23;

    /// <summary>AES-128-CCM-8: 8-byte explicit nonce and 8-byte tag per record (RFC 6655 section 3, RFC 7251).</summary>
    public const int ExplicitNonceLength = 8, TagLength = 8, KeyLength = 16, FixedIvLength = 4;

    // ClientHello extensions (RFC 8422 section 5.1, RFC 5246 section 7.4.1.4.1, RFC 5746 section 3.2).
    public const int ExtSupportedGroups = 0x000A, ExtPointFormats = 0x000B, ExtSignatureAlgorithms = 0x000D, ExtRenegotiationInfo = 0xFF01;
    public const int GroupSecp256r1 = 0x0017;
    public const byte PointFormatUncompressed = 0x00, CurveTypeNamed = 0x03;

    /// <summary>ecdsa_secp256r1_sha256: hash sha256 (4), signature ecdsa (3) (RFC 5246 section 7.4.1.4.1).</summary>
    public const int SignatureEcdsaSha256 = 0x0403;

    /// <summary>ClientCertificateType ecdsa_sign (RFC 8422 section 5.5).</summary>
    public const byte CertificateTypeEcdsaSign = 64;

    /// <summary>Finished verify_data length (RFC 5246 section 7.4.9).</summary>
    public const int VerifyDataLength = 12;

    // The chip's DTLS error codes, as the host maps them to alerts (optiga/dtls/AlertProtocol.c).
    public const byte ErrorInvalidHandshakeMessage = 0x21, ErrorVersionMismatch = 0x22, ErrorCipherSuite = 0x23,
        ErrorUnsupportedExtension = 0x24, ErrorUnsupportedParameters = 0x25, ErrorInvalidTrustAnchor = 0x26,
        ErrorTrustAnchorExpired = 0x27, ErrorUnsupportedTrustAnchor = 0x28, ErrorInvalidCertificate = 0x29,
        ErrorUnsupportedCertificate = 0x2A, ErrorCertificateExpired = 0x2B, ErrorSignature = 0x2C, ErrorDecryption = 0x2E;

    /// <summary>The largest certificate the chip takes (optiga-trust.md, error 0x2A: "> 1300 bytes").</summary>
    public const int MaxCertificateLength = 1300;
}

using System.Security.Cryptography;
using static SecureOta.ChipEmulator.Dtls.DtlsProtocol;

namespace SecureOta.ChipEmulator.Dtls;

/// <summary>
/// AES-128-CCM-8 records of epoch 1 (RFC 6655 sections 3-4, RFC 7251; the key block of RFC 5246 section 6.3:
/// client_write_key, server_write_key, client_write_IV[4], server_write_IV[4]). What the host gives and gets
/// (optiga/dtls/DtlsRecordLayer.c, DtlsRL_PrepareRecord / DtlsRL_ProcessRecord): Encrypt takes the record
/// header and the plaintext and answers the whole record (header with the new length, the explicit nonce,
/// ciphertext and tag); Decrypt takes the whole record and answers the header and the plaintext. Nonce =
/// write_IV ‖ explicit nonce; the chip's explicit nonce is the record's epoch and sequence number; AAD =
/// epoch ‖ sequence ‖ type ‖ version ‖ plaintext length. Replay and ordering are the host's (DtlsWindowing.c).
/// </summary>
public sealed class RecordProtection(byte[] keyBlock)
{
    private readonly byte[] _clientKey = keyBlock[..KeyLength];
    private readonly byte[] _serverKey = keyBlock[KeyLength..(2 * KeyLength)];
    private readonly byte[] _clientIv = keyBlock[(2 * KeyLength)..(2 * KeyLength + FixedIvLength)];
    private readonly byte[] _serverIv = keyBlock[(2 * KeyLength + FixedIvLength)..(2 * KeyLength + 2 * FixedIvLength)];

    /// <summary>The protected epoch: the one after the ChangeCipherSpec (no renegotiation).</summary>
    public const int Epoch = 1;

    /// <summary>The record, or the chip's error code (0x05 a header that does not describe the plaintext).</summary>
    public (byte[]? Record, byte Error) Encrypt(byte[] headerAndPlaintext)
    {
        if (!HeaderFits(headerAndPlaintext, headerAndPlaintext.Length - RecordHeaderLength)) return (null, 0x05);
        var header = headerAndPlaintext.AsSpan(0, RecordHeaderLength);
        var plaintext = headerAndPlaintext.AsSpan(RecordHeaderLength);
        byte[] explicitNonce = header[3..11].ToArray();
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagLength];
        using (var ccm = new AesCcm(_clientKey))
            ccm.Encrypt([.. _clientIv, .. explicitNonce], plaintext, ciphertext, tag, Aad(header, plaintext.Length));
        int length = ExplicitNonceLength + ciphertext.Length + TagLength;
        return ([.. header[..11], (byte)(length >> 8), (byte)length, .. explicitNonce, .. ciphertext, .. tag], 0);
    }

    /// <summary>The header and plaintext, or the chip's error code (0x2E the record does not authenticate).</summary>
    public (byte[]? HeaderAndPlaintext, byte Error) Decrypt(byte[] record)
    {
        int protectedLength = record.Length - RecordHeaderLength;
        if (protectedLength < ExplicitNonceLength + TagLength || !HeaderFits(record, protectedLength)) return (null, 0x05);
        var header = record.AsSpan(0, RecordHeaderLength);
        var explicitNonce = record.AsSpan(RecordHeaderLength, ExplicitNonceLength);
        int plainLength = protectedLength - ExplicitNonceLength - TagLength;
        var ciphertext = record.AsSpan(RecordHeaderLength + ExplicitNonceLength, plainLength);
        var tag = record.AsSpan(record.Length - TagLength);
        var plaintext = new byte[plainLength];
        try
        {
            using var ccm = new AesCcm(_serverKey);
            ccm.Decrypt([.. _serverIv, .. explicitNonce], ciphertext, tag, plaintext, Aad(header, plainLength));
        }
        catch (AuthenticationTagMismatchException)
        {
            return (null, ErrorDecryption);
        }
        return ([.. header[..11], (byte)(plainLength >> 8), (byte)plainLength, .. plaintext], 0);
    }

    /// <summary>The content type of a record the processor is asked to protect (header byte 0).</summary>
    public static byte ContentType(byte[] record) => record.Length > 0 ? record[0] : (byte)0;

    // A record of epoch 1, DTLS 1.2, a known content type, whose length field is the rest.
    private static bool HeaderFits(byte[] record, int rest) =>
        record.Length >= RecordHeaderLength
        && record[0] is ContentAlert or ContentHandshake or ContentApplicationData
        && ((record[1] << 8) | record[2]) == Version12
        && ((record[3] << 8) | record[4]) == Epoch
        && ((record[11] << 8) | record[12]) == rest;

    private static byte[] Aad(ReadOnlySpan<byte> header, int plainLength) =>
        [.. header[3..11], header[0], header[1], header[2], (byte)(plainLength >> 8), (byte)plainLength];
}

using System.Security.Cryptography;
using SecureOta.Core.Crypto;
using SecureOta.Core.Host.Crypto;
using SecureOta.Drivers.Chip;

namespace SecureOta.ChipEmulator;

/// <summary>
/// The chip's side of the shielded connection (optiga-trust.md 1.5): Slave Hello with RND and SSEQ,
/// checks Master Finished, answers Slave Finished with MSEQ, then records at the protection level the
/// host puts in each SCTR (I2C-203 Table 6-2; M-PRL PRL_STATE_TXRX): 0x20 none (allowed before any
/// handshake, as the vendor host sends it), 0x21 command protected, 0x22 response protected, 0x23 both,
/// with AES-128-CCM-8 from System.Security.Cryptography. The response carries the request's SCTR. A
/// protected record that fails its check is answered with an integrity alert (0x44) and not executed.
/// Conf access conditions hold for the protected direction (ApduProcessor.Allows).
/// Manage context (M-PRL ifx_i2c_prl_do_manage_context, used around a Trust M hibernate): Save 0x60
/// keeps the established session's keys and sequence numbers and ends it, answered 0x64; Restore 0x68
/// with the chip's sequence number as the host saved it brings that session back, answered 0x6C with
/// the same number (the host reads only the SCTR and the length); a restore without a saved context
/// or with another number is a fatal alert and forgets the saved one. The low two SCTR bits are masked
/// (PRL_MANAGE_CONTEXT_MASK). The saved context survives a reset (the chip keeps it across the power
/// cycle a hibernate exists for), not a restart of the emulator.
/// </summary>
public sealed class ShieldedSession(ApduProcessor app)
{
    private const byte Hello = PresentationLayer.SctrHello, Finished = PresentationLayer.SctrFinished, Record = PresentationLayer.SctrRecord;
    private byte[]? _rnd, _masterKey, _slaveKey, _masterNonce, _slaveNonce;
    private uint _sseq, _mseq;
    private bool _established;
    private const byte SaveContext = 0x60, ContextSaved = 0x64, RestoreContext = 0x68, ContextRestored = 0x6C, ManageContextMask = 0xFC;
    private (byte[] MasterKey, byte[] SlaveKey, byte[] MasterNonce, byte[] SlaveNonce, uint Sseq, uint Mseq)? _saved;

    /// <summary>A reset ends the session.</summary>
    public void Reset()
    {
        _established = false;
        _rnd = null;
    }

    /// <summary>Handles one presentation-layer message; returns the reply payload and the time it takes.</summary>
    public (byte[] Reply, int DurationUs) Handle(byte[] message)
    {
        if (message.Length == 0) return ([PresentationLayer.SctrAlertFatal], 100);
        switch (message[0])
        {
            case Hello when message.Length == 2 && message[1] == PresentationLayer.ProtocolVersion:
                return SlaveHello();
            case Finished when _rnd is not null && message.Length == 49:
                return SlaveFinished(message);
            case >= Record and <= Record + 3 when _established || message[0] == Record:
                return ProtectedRecord(message);
            case var sctr when (sctr & ManageContextMask) == SaveContext && message.Length == 1 && _established:
                _saved = (_masterKey!, _slaveKey!, _masterNonce!, _slaveNonce!, _sseq, _mseq);
                _established = false;
                return ([ContextSaved], 5000);
            case var sctr when (sctr & ManageContextMask) == RestoreContext && message.Length == 5:
                return RestoreSaved(ReadU32(message, 1));
            default:
                _established = false;
                return ([PresentationLayer.SctrAlertFatal], 100);
        }
    }

    private (byte[], int) RestoreSaved(uint slaveSequence)
    {
        var saved = _saved;
        _saved = null;
        if (saved is not { } c || c.Sseq != slaveSequence)
        {
            _established = false;
            return ([PresentationLayer.SctrAlertFatal], 100);
        }
        (_masterKey, _slaveKey, _masterNonce, _slaveNonce, _sseq, _mseq) = c;
        _established = true;
        return ([ContextRestored, .. U32(_sseq)], 5000);
    }

    private (byte[], int) SlaveHello()
    {
        _established = false;
        _rnd = RandomNumberGenerator.GetBytes(32);
        _sseq = (uint)RandomNumberGenerator.GetInt32(0, 0x10000);
        var secret = app.State.Objects.TryGetValue(ChipState.OidPlatformBinding, out var o) ? o.Data : [];
        using var sha = new DotNetSha256();
        var keys = Tls12Prf.Derive(sha, secret.Length > 0 ? secret : new byte[1], [.. "Platform Binding"u8, .. _rnd], 40);
        _masterKey = keys[..16];
        _slaveKey = keys[16..32];
        _masterNonce = keys[32..36];
        _slaveNonce = keys[36..40];
        return ([Hello, PresentationLayer.ProtocolVersion, .. _rnd, .. U32(_sseq)], 5000);
    }

    private (byte[], int) SlaveFinished(byte[] m)
    {
        uint seq = ReadU32(m, 1);
        var plain = Open(_masterKey!, _masterNonce!, Finished, seq, m[5..]);
        if (seq != _sseq || plain is null || !plain.AsSpan(0, 32).SequenceEqual(_rnd) || ReadU32(plain, 32) != _sseq)
        {
            _rnd = null;
            return ([PresentationLayer.SctrAlertIntegrity], 5000);
        }
        _mseq = (uint)RandomNumberGenerator.GetInt32(0, 0x10000);
        _established = true;
        var sealedData = Seal(_slaveKey!, _slaveNonce!, Finished, _mseq, [.. _rnd!, .. U32(_mseq)]);
        return ([Finished, .. U32(_mseq), .. sealedData], 5000);
    }

    private (byte[], int) ProtectedRecord(byte[] m)
    {
        byte sctr = m[0];
        bool commandProtected = (sctr & PresentationLayer.ProtectCommand) != 0, responseProtected = (sctr & PresentationLayer.ProtectResponse) != 0;
        byte[]? apdu;
        if (commandProtected)
        {
            if (m.Length < 5 + 8) return ([PresentationLayer.SctrAlertIntegrity], 100);
            uint seq = ReadU32(m, 1);
            apdu = seq > _mseq && seq - _mseq <= PresentationLayer.SequenceWindow ? Open(_masterKey!, _masterNonce!, sctr, seq, m[5..]) : null;
            if (apdu is null) return ([PresentationLayer.SctrAlertIntegrity], 100);
            _mseq = seq;
        }
        else apdu = m[1..];
        (app.CommandProtected, app.ResponseProtected) = (commandProtected, responseProtected);
        var (response, duration) = app.Execute(apdu);
        (app.CommandProtected, app.ResponseProtected) = (false, false);
        if (!responseProtected) return ([sctr, .. response], duration);
        _sseq++;
        return ([sctr, .. U32(_sseq), .. Seal(_slaveKey!, _slaveNonce!, sctr, _sseq, response)], duration);
    }

    private static byte[] Aad(byte sctr, uint seq, int length) => [sctr, .. U32(seq), PresentationLayer.ProtocolVersion, (byte)(length >> 8), (byte)length];

    private static byte[] Seal(byte[] key, byte[] keyNonce, byte sctr, uint seq, byte[] plain)
    {
        using var ccm = new System.Security.Cryptography.AesCcm(key);
        var cipher = new byte[plain.Length];
        var tag = new byte[8];
        byte[] nonce = [.. keyNonce, .. U32(seq)];
        ccm.Encrypt(nonce, plain, cipher, tag, Aad(sctr, seq, plain.Length));
        return [.. cipher, .. tag];
    }

    private static byte[]? Open(byte[] key, byte[] keyNonce, byte sctr, uint seq, byte[] sealedData)
    {
        if (sealedData.Length < 8) return null;
        using var ccm = new System.Security.Cryptography.AesCcm(key);
        var plain = new byte[sealedData.Length - 8];
        try
        {
            byte[] nonce = [.. keyNonce, .. U32(seq)];
            ccm.Decrypt(nonce, sealedData[..^8], sealedData[^8..], plain, Aad(sctr, seq, plain.Length));
            return plain;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static byte[] U32(uint v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];
    private static uint ReadU32(byte[] b, int o) => (uint)((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

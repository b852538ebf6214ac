using System.Security.Cryptography;
using SecureOta.ChipEmulator;
using SecureOta.Core.Crypto;
using SecureOta.Core.Host.Crypto;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Chip.Tests;

/// <summary>
/// The shielded connection's manage-context messages around a hibernate (M-PRL
/// ifx_i2c_prl_do_manage_context): Save 0x60 → 0x64 ends the session and keeps it; Restore 0x68 with
/// the chip's sequence number → 0x6C brings it back. A host written here from the vendor's description
/// drives the chip's presentation layer directly.
/// </summary>
public sealed class ManageContextTests
{
    private sealed class Host(ShieldedSession chip, byte[] secret)
    {
        private byte[] _masterKey = [], _slaveKey = [], _masterNonce = [], _slaveNonce = [];
        public uint Mseq, Sseq;

        public void Handshake()
        {
            var hello = chip.Handle([0x00, 0x01]).Reply;
            var rnd = hello[2..34];
            Sseq = U32(hello, 34);
            using var sha = new DotNetSha256();
            var keys = Tls12Prf.Derive(sha, secret, [.. "Platform Binding"u8, .. rnd], 40);
            (_masterKey, _slaveKey, _masterNonce, _slaveNonce) = (keys[..16], keys[16..32], keys[32..36], keys[36..40]);
            var finished = chip.Handle([0x08, .. Be(Sseq), .. Seal(_masterKey, _masterNonce, 0x08, Sseq, [.. rnd, .. Be(Sseq)])]).Reply;
            Assert.Equal(49, finished.Length);
            Mseq = U32(finished, 1);
        }

        // A fully protected record: the response APDU, or null when the chip answers otherwise (an alert).
        public byte[]? Record(byte[] apdu)
        {
            Mseq++;
            var reply = chip.Handle([0x23, .. Be(Mseq), .. Seal(_masterKey, _masterNonce, 0x23, Mseq, apdu)]).Reply;
            if (reply[0] != 0x23) return null;
            Sseq = U32(reply, 1);
            var body = reply[5..];
            var plain = new byte[body.Length - 8];
            using var ccm = new System.Security.Cryptography.AesCcm(_slaveKey);
            byte[] nonce = [.. _slaveNonce, .. Be(Sseq)];
            ccm.Decrypt(nonce, body[..^8], body[^8..], plain, Aad(0x23, Sseq, plain.Length));
            return plain;
        }

        private static byte[] Aad(byte sctr, uint seq, int length) => [sctr, .. Be(seq), 0x01, (byte)(length >> 8), (byte)length];

        private static byte[] Seal(byte[] key, byte[] nonce, byte sctr, uint seq, byte[] plain)
        {
            using var ccm = new System.Security.Cryptography.AesCcm(key);
            var cipher = new byte[plain.Length];
            var tag = new byte[8];
            byte[] full = [.. nonce, .. Be(seq)];
            ccm.Encrypt(full, plain, cipher, tag, Aad(sctr, seq, plain.Length));
            return [.. cipher, .. tag];
        }
    }

    internal static byte[] Be(uint v) => [(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v];
    private static uint U32(byte[] b, int o) => (uint)((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);

    private static readonly byte[] OpenApplication = Convert.FromHexString("70000010D2760000044765 6E417574684170706C".Replace(" ", ""));
    private static readonly byte[] ReadUid = Convert.FromHexString("01000006E0C200000004");

    private static (ShieldedSession Chip, Host Host) Established()
    {
        using var rig = new ChipRig(ChipPart.TrustM);
        var chip = new ShieldedSession(new ApduProcessor(rig.State));
        var host = new Host(chip, rig.State.Objects[ChipState.OidPlatformBinding].Data);
        host.Handshake();
        Assert.Equal(0x00, host.Record(OpenApplication)![0]);
        return (chip, host);
    }

    [Fact]
    public void ASavedSession_IsRestored_AndCarriesOnWithItsSequenceNumbers()
    {
        var (chip, host) = Established();
        Assert.Equal(0x00, host.Record(ReadUid)![0]);
        Assert.Equal(new byte[] { 0x64 }, chip.Handle([0x60]).Reply);
        chip.Reset(); /* the power cycle a hibernate is for */
        var saved = (host.Mseq, host.Sseq);
        Assert.Null(host.Record(ReadUid));   /* no session until it is restored */
        host.Mseq = saved.Item1;
        var restored = chip.Handle([0x68, .. Be(host.Sseq)]).Reply;
        Assert.Equal(0x6C, restored[0]);
        Assert.Equal(5, restored.Length);
        Assert.Equal(0x00, host.Record(ReadUid)![0]);
    }

    [Fact]
    public void ARestoreWithAnotherNumber_OrWithoutASave_IsAFatalAlert_AndForgetsTheSavedSession()
    {
        var (chip, host) = Established();
        Assert.Equal(new byte[] { 0x64 }, chip.Handle([0x60]).Reply);
        Assert.Equal(new byte[] { 0x40 }, chip.Handle([0x68, .. Be(host.Sseq + 1)]).Reply);
        Assert.Equal(new byte[] { 0x40 }, chip.Handle([0x68, .. Be(host.Sseq)]).Reply); /* forgotten */
        Assert.Equal(new byte[] { 0x40 }, chip.Handle([0x60]).Reply);                   /* nothing established to save */
        host.Handshake();
        Assert.Equal(new byte[] { 0x40 }, chip.Handle([0x68, 0, 0, 0, 1]).Reply);        /* nothing saved; the session drops */
        Assert.Null(host.Record(ReadUid));
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SecureOta.ChipEmulator;
using SecureOta.Drivers.Chip;
using Xunit;

namespace SecureOta.Chip.Tests.Dtls;

/// <summary>
/// The Trust X's on-chip DTLS client (ApduProcessor.Dtls.cs) against an independent server, OpenSSL's
/// `s_server -dtls1_2`: the handshake with and without a cookie exchange, with and without the client's
/// certificate (OpenSSL checks the chip's certificate and its CertificateVerify), application data both
/// ways through the chip's Encrypt and Decrypt; and everything the chip must refuse: a server its trust
/// anchor did not issue, a changed ServerKeyExchange or Finished, an expired certificate, a forged record,
/// commands out of order.
/// </summary>
public sealed class DtlsClientTests : IDisposable
{
    private readonly ChipRig _rig = ChipRig.Opened(ChipPart.TrustX);
    private readonly (X509Certificate2 Certificate, ECDsa Key) _serverCa = OpensslDtlsServer.MakeCa("CN=dtls server ca");
    private readonly (X509Certificate2 Certificate, ECDsa Key) _clientCa = OpensslDtlsServer.MakeCa("CN=device ca");

    public DtlsClientTests()
    {
        // The server's CA is the chip's DTLS trust anchor (E0E8); the chip's certificate in E0E0 is for its key in E0F0.
        _rig.State.Objects[ApduProcessor.OidDtlsTrustAnchor].Data = _serverCa.Certificate.RawData;
        using var chipKey = ECDsa.Create();
        chipKey.ImportPkcs8PrivateKey(_rig.State.Objects[ChipState.OidInfineonKey].PrivateKey, out _);
        using var device = OpensslDtlsServer.Issue("CN=trust x", chipKey, _clientCa.Certificate, _clientCa.Key, ca: false);
        _rig.State.Objects[ChipState.OidInfineonCert].Data = device.RawData;
    }

    private OpensslDtlsServer Server(bool clientAuth, bool cookies, X509Certificate2? certificate = null, ECDsa? key = null) =>
        new(_serverCa.Certificate, _serverCa.Key, clientAuth ? _clientCa.Certificate : null, cookies, certificate, key);

    private static int Device(int code) => ChipErrors.DeviceBase | code;

    [Theory]
    [InlineData(true, true, 0x0615)]
    [InlineData(true, false, 0x0615)]
    [InlineData(false, true, 0x0615)]
    [InlineData(false, false, 0x0615)]
    [InlineData(true, true, 0x0100)] /* a small chip buffer: the chip's messages come in fragments */
    public void TheHandshakeAndApplicationData_Interoperate(bool clientAuth, bool cookies, int maxComms)
    {
        _rig.State.Objects[ChipState.OidMaxComBuffer].Data = [(byte)(maxComms >> 8), (byte)maxComms];
        using var server = Server(clientAuth, cookies);
        using var host = new ChipDtlsHost(_rig, server.Port);
        var refusal = host.Handshake(ChipState.OidInfineonKey, clientAuth ? ChipState.OidInfineonCert : null);
        Assert.True(refusal is null, $"{refusal}\n{server.Output}");
        Assert.True(_rig.Emulator.Application.DtlsSession!.Connected);
        Assert.True(host.SendProtected(23, Encoding.ASCII.GetBytes("ping from the chip\n")).IsOk);
        Assert.True(server.WaitFor("ping from the chip", TimeSpan.FromSeconds(10)), server.Output);
        Assert.Contains("ECDHE-ECDSA-AES128-CCM8", server.Output);
        server.Send("pong from openssl");
        Assert.Equal("pong from openssl\n", Encoding.ASCII.GetString(host.ReceiveApplicationData()));
        // Closing the session forgets it: its records are no longer protected.
        Assert.True(_rig.Raw(0x1A, 0x71, [0xE1, 0x00]).IsOk);
        Assert.Equal(Device(0x0B), host.SendProtected(23, [1, 2, 3]).Code);
    }

    [Fact]
    public void AServerTheTrustAnchorDidNotIssue_IsRefused_AndTheSessionEnds()
    {
        var (otherCa, otherKey) = OpensslDtlsServer.MakeCa("CN=someone else");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var impostor = OpensslDtlsServer.Issue("CN=dtls server", key, otherCa, otherKey, ca: false);
        using var server = Server(clientAuth: false, cookies: false, impostor, key);
        using var host = new ChipDtlsHost(_rig, server.Port);
        Assert.Equal(Device(0x2C), host.Handshake(ChipState.OidInfineonKey, null)?.Code);
        // Fail closed: the session takes nothing more until a new SetAuthScheme.
        Assert.Equal(Device(0x0B), host.Get(0x10, [], out _)?.Code);
    }

    [Theory]
    [InlineData(0x0C)] /* the ECDHE parameters the server signed */
    [InlineData(0x14)] /* the server's Finished */
    [InlineData(0x02)] /* the server random: the ServerKeyExchange signature covers it */
    public void AChangedServerMessage_IsRefused(byte type)
    {
        using var server = Server(clientAuth: false, cookies: false);
        using var host = new ChipDtlsHost(_rig, server.Port)
        {
            Rewrite = (t, m) =>
            {
                if (t != type) return m;
                var changed = m.ToArray();
                changed[t == 0x02 ? 12 + 2 + 5 : changed.Length - 3] ^= 0x01;
                return changed;
            },
        };
        Assert.Equal(Device(0x2C), host.Handshake(ChipState.OidInfineonKey, null)?.Code);
    }

    /// <summary>
    /// Server messages damaged at random (a byte changed, cut short or lengthened) before the chip takes them:
    /// the chip refuses each cleanly with a device error, or takes a change that does not matter (then the
    /// Finished messages disagree and OpenSSL says so); it never throws and never lets the handshake through
    /// with a changed transcript.
    /// </summary>
    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)]
    [InlineData(7)] [InlineData(8)] [InlineData(9)] [InlineData(10)] [InlineData(11)] [InlineData(12)]
    public void DamagedServerMessages_AreRefusedCleanly(int seed)
    {
        var random = new Random(seed);
        byte[] types = [0x03, 0x02, 0x0B, 0x0C, 0x0D, 0x0E, 0x14];
        byte target = types[random.Next(types.Length)];
        bool changed = false;
        using var server = Server(clientAuth: true, cookies: true);
        using var host = new ChipDtlsHost(_rig, server.Port)
        {
            Rewrite = (t, m) =>
            {
                if (t != target) return m;
                changed = true;
                return random.Next(3) switch
                {
                    0 => m.Length > 1 ? m[..random.Next(1, m.Length)] : [],
                    1 => [.. m, .. RandomNumberGenerator.GetBytes(random.Next(1, 40))],
                    _ => Flip(m, random.Next(m.Length)),
                };
            },
        };
        ChipResult? refusal;
        try
        {
            refusal = host.Handshake(ChipState.OidInfineonKey, ChipState.OidInfineonCert);
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("alert from the server"))
        {
            return; /* a change the chip could take: the server refused the Finished */
        }
        Assert.True(changed || target == 0x03, "the damaged message was never given to the chip");
        if (changed) Assert.True(refusal is { } r && (r.Code & 0xFF00) == ChipErrors.DeviceBase, $"{target:X2}: {refusal}");
    }

    private static byte[] Flip(byte[] m, int at)
    {
        var copy = m.ToArray();
        copy[at] ^= (byte)(1 << (at % 8));
        return copy;
    }

    [Fact]
    public void AnExpiredServerCertificate_IsRefused_WhenTheHostGivesTheTime()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var expired = OpensslDtlsServer.Issue("CN=dtls server", key, _serverCa.Certificate, _serverCa.Key, ca: false,
            DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        using var server = Server(clientAuth: false, cookies: false, expired, key);
        using var host = new ChipDtlsHost(_rig, server.Port);
        Assert.Equal(Device(0x2B), host.Handshake(ChipState.OidInfineonKey, null, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds())?.Code);
    }

    [Fact]
    public void AForgedRecord_IsRefused_AndTheSessionStaysUp()
    {
        using var server = Server(clientAuth: true, cookies: false);
        using var host = new ChipDtlsHost(_rig, server.Port);
        Assert.Null(host.Handshake(ChipState.OidInfineonKey, ChipState.OidInfineonCert));
        // A record of the server's epoch made without its key: not authentic.
        byte[] forged = [23, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 24, .. RandomNumberGenerator.GetBytes(24)];
        Assert.Equal(Device(0x2E), host.Decrypt(forged).Code);
        server.Send("still here");
        Assert.Equal("still here\n", Encoding.ASCII.GetString(host.ReceiveApplicationData()));
    }

    [Fact]
    public void CommandsOutOfOrder_AndWrongParameters_AreRefused()
    {
        byte[] sid = [0xE1, 0x00];
        // No scheme set: no session.
        Assert.Equal(Device(0x0B), _rig.Raw(0x1A, 0x01, sid).Code);
        // The scheme needs a key with usage Auth (E0F1 is the class's key-agreement key) and a session OID.
        Assert.Equal(Device(0x07), _rig.Raw(0x10, 0x99, [0xE0, 0xF1, 0xE1, 0x00]).Code);
        Assert.Equal(Device(0x01), _rig.Raw(0x10, 0x99, [0xE0, 0xF0, 0xF1, 0xD0]).Code);
        Assert.True(_rig.Raw(0x10, 0x99, [0xE0, 0xF0, 0xE1, 0x00]).IsOk);
        // Records before any keys, a chained (start) fragment, a key exchange before the server's messages.
        Assert.Equal(Device(0x0B), _rig.Raw(0x1A, 0x61, [.. sid, 0x61, 0x00, 0x01, 0x17]).Code);
        Assert.Equal(Device(0x05), _rig.Raw(0x1A, 0x61, [.. sid, 0x60, 0x00, 0x01, 0x17]).Code);
        Assert.Equal(Device(0x0B), _rig.Raw(0x1A, 0x10, sid).Code);
        // That ended the handshake; a new scheme starts a new one, whose hello comes once.
        Assert.True(_rig.Raw(0x10, 0x99, [0xE0, 0xF0, 0xE1, 0x00]).IsOk);
        var hello = _rig.Raw(0x1A, 0x01, sid);
        Assert.True(hello.IsOk);
        Assert.Equal(0x61, hello.Data[0]);
        Assert.Equal(0x01, hello.Data[3]); /* a ClientHello */
        Assert.Equal([0xFE, 0xFD], hello.Data[15..17]);
        Assert.Equal(Device(0x0B), _rig.Raw(0x1A, 0x01, sid).Code);
        // A reset forgets the session.
        Assert.True(_rig.Raw(0x10, 0x99, [0xE0, 0xF0, 0xE1, 0x00]).IsOk);
        Assert.True(_rig.Driver.Reset().IsOk);
        Assert.Equal(Device(0x0B), _rig.Raw(0x1A, 0x01, sid).Code);
    }

    [Fact]
    public void ATrustM_HasNoDtlsClient()
    {
        using var rig = ChipRig.Opened(ChipPart.TrustM);
        Assert.Equal(Device(0x0A), rig.Raw(0x1A, 0x01, [0xE1, 0x00]).Code);
        Assert.Equal(Device(0x0A), rig.Raw(0x1B, 0x02, [0xE1, 0x00, 0x61, 0x00, 0x00]).Code);
        Assert.Equal(Device(0x0A), rig.Raw(0x10, 0x99, [0xE0, 0xF0, 0xE1, 0x00]).Code);
    }

    public void Dispose()
    {
        _rig.Dispose();
        _serverCa.Key.Dispose();
        _clientCa.Key.Dispose();
    }
}

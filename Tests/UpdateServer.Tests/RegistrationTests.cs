using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.Agent.Update.Api;
using SecureOta.ChipEmulator;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>Registering a device by its certificate or its bare public key; anything else refused with the reason.</summary>
public sealed class RegistrationTests : ServerTest
{

    private string ClassHex => Convert.ToHexString(Rig.ClassId);

    private Task<HttpResponseMessage> Register(object body) => Server.Admin.PostAsJsonAsync("/api/v1/admin/devices", body);

    [Fact]
    public async Task ADeviceRegisteredByItsPublicKey_ChecksIn()
    {
        using var cert = X509CertificateLoader.LoadCertificate(Rig.ChipState.Objects[ChipState.OidDeviceCert].Data);
        using var key = cert.GetECDsaPublicKey()!;
        var spki = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        Assert.Equal(HttpStatusCode.Created, (await Register(new { id = "k1", classId = ClassHex, publicKey = spki })).StatusCode);

        var device = Device("k1");
        Assert.True(await Task.Run(() => device.CheckIn(0, "1.0.0", "idle", new UpdateOffer[1])), device.Error);
    }

    [Fact]
    public async Task BadKeys_AreRefusedWithTheReason()
    {
        var cert = Convert.ToBase64String(Rig.ChipState.Objects[ChipState.OidDeviceCert].Data);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        foreach (var (body, reason) in new (object, string)[]
        {
            (new { id = "x1", classId = ClassHex }, "exactly one of certificate"),
            (new { id = "x2", classId = ClassHex, certificate = cert, publicKey = cert }, "exactly one of certificate"),
            (new { id = "x3", classId = ClassHex, publicKey = "***" }, "publicKey: not base64"),
            (new { id = "x4", classId = ClassHex, publicKey = Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo()) }, "not on P-256"),
            (new { id = "x5", classId = ClassHex, publicKey = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()) }, "neither a DER certificate"),
            (new { id = "x6", classId = ClassHex, certificate = Convert.ToBase64String(new byte[] { 0x30, 0x03, 0x02, 0x01, 0x01 }) }, "neither a DER certificate"),
        })
        {
            var r = await Register(body);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Contains(reason, await r.Content.ReadAsStringAsync());
        }
        Assert.Equal("[]", await Server.Admin.GetStringAsync("/api/v1/admin/devices"));
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using SecureOta.Core.Suit;
using SecureOta.Pkcs11;
using SecureOta.UpdateTool.DataSets;
using SecureOta.UpdateTool.Keys;
using Xunit;

namespace SecureOta.Hsm.Tests;

/// <summary>Signing and KEK derivation inside the token give data sets that verify, also independently; the keys do not come out.</summary>
[Collection(SoftHsmCollection.Name)]
public sealed class TokenTests(SoftHsm hsm) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hsm-ds-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string P(string name) => Path.Combine(_dir, name);

    private static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Agent.sln"))) return d.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    [Fact]
    public void ADataSetSignedAndEncryptedInTheToken_Verifies_HereAndIndependently()
    {
        using var token = hsm.Open();
        File.WriteAllBytes(P("app.bin"), RandomNumberGenerator.GetBytes(20_000));
        var classId = RandomNumberGenerator.GetBytes(16);
        var request = new CreateRequest
        {
            ImagePath = P("app.bin"), SequenceNumber = 4, Version = "1.2.0", VendorId = RandomNumberGenerator.GetBytes(16), ClassId = classId,
            Component = "deploy", MasterSecret = new TokenKekSource(token, "master"), ClassPublicKey = hsm.ClassPublic, OutputPath = P("app.suit"),
        };
        DataSetWriter.Create(request, new Pkcs11Signer(token, "signing"));
        using var vendor = ECDsa.Create(hsm.SigningPublic);
        var classPrivate = ECDiffieHellman.Create();
        classPrivate.ImportPkcs8PrivateKey(token.ExportPrivateKeyForPersonalisation("class"), out _);
        var outcome = DataSetVerifier.Verify(P("app.suit"), vendor, new TokenKekSource(token, "master"), null, classPrivate.ExportParameters(true));
        Assert.True(outcome.Ok, outcome.Message);
        Assert.Contains("master-secret recipient and ES-DH recipient", outcome.Message);

        // The PRF built from the token's HMAC equals the PRF over the value (the secret made for provisioning can be compared).
        var secret = token.ExportForProvisioning("master");
        var data = KekDerivation.DerivationData(new byte[32], classId);
        Assert.Equal(new FileKekSource(secret).DeriveKek(data), new TokenKekSource(token, "master").DeriveKek(data));

        // Node's independent check accepts it: signature with the token's key, both recipients.
        File.WriteAllText(P("vendor.pub.pem"), vendor.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(P("master.hex"), Convert.ToHexString(secret));
        File.WriteAllText(P("class.key.pem"), classPrivate.ExportPkcs8PrivateKeyPem());
        var interop = Path.Combine(Root(), "tools", "interop");
        var node = Process.Start(new ProcessStartInfo("node", [Path.Combine(interop, "verify-suit.mjs"), P("app.suit"), P("vendor.pub.pem"), P("master.hex"), P("class.key.pem")])
        { RedirectStandardOutput = true, WorkingDirectory = interop })!;
        var output = node.StandardOutput.ReadToEnd();
        node.WaitForExit();
        Assert.True(node.ExitCode == 0, output);
        Assert.Contains("\"recipientsOpened\":2", output);
    }

    [Fact]
    public void TheTokenRefusesToExportItsKeys()
    {
        using var token = hsm.Open();
        Assert.Null(token.TryReadValue("signing"));         /* CKA_VALUE of a sensitive private key: unreadable */
        Assert.Null(token.TryReadValue("master"));
        Assert.Null(token.TryReadValue("master-sealed"));
        Assert.Throws<TokenException>(() => token.ExportForProvisioning("master-sealed"));        /* not even wrapped */
        Assert.Throws<TokenException>(() => token.ExportPrivateKeyForPersonalisation("signing"));
        Assert.Throws<TokenException>(() => token.ExportPrivateKeyForPersonalisation("device-ca"));
        Assert.Equal(32, token.ExportForProvisioning("master").Length);                              /* the one made for it */
    }

    [Fact]
    public void AWrongPin_IsOneClearError_AndAKeyIsNeverMadeTwice()
    {
        var e = Assert.Throws<TokenException>(() => Pkcs11Token.Open(SoftHsm.Module, SoftHsm.Label, "wrong"));
        Assert.Contains("PIN is wrong", e.Message);
        Assert.Contains("no token labelled", Assert.Throws<TokenException>(() => Pkcs11Token.Open(SoftHsm.Module, "nobody", SoftHsm.Pin)).Message);
        using var token = hsm.Open();
        Assert.Contains("exists already", Assert.Throws<TokenException>(() => token.GenerateEcKey("signing")).Message);
        Assert.Contains("no secret labelled", Assert.Throws<TokenException>(() => token.Hmac("absent", [1])).Message);
    }

    [Fact]
    public void TheTokenSignature_IsES256_OverTheDigest()
    {
        using var token = hsm.Open();
        var digest = SHA256.HashData("message"u8.ToArray());
        using var key = ECDsa.Create(hsm.SigningPublic);
        Assert.True(key.VerifyHash(digest, token.SignDigest("signing", digest), DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }
}

using System.Diagnostics;
using System.Text.Json;
using SecureOta.Core.Suit;
using Xunit;

namespace SecureOta.Suit.Tests;

/// <summary>
/// update-tool as a user runs it: keygen -> create (plain, encrypted, unsigned + external signer) ->
/// verify, tampering, bad input, and an independent implementation (node: cbor, @noble/curves,
/// OpenSSL's AES-KW/CTR) accepting what it produces.
/// </summary>
public sealed class UpdateToolCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("update-tool-").FullName;

    public UpdateToolCliTests()
    {
        var image = new byte[70_000];
        new Random(2).NextBytes(image);
        File.WriteAllBytes(P("app.bin"), image);
        Assert.Equal(0, Tool("keygen", "--out", P("vendor"), "--master-secret").Code);
        Assert.Equal(0, Tool("keygen", "--out", P("class")).Code); /* the class key-agreement key (ES-DH recipient) */
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Exec(string file, string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), $"{file} {string.Join(' ', args)} did not finish in 2 minutes");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private (int Code, string Out, string Err) Tool(params string[] args) =>
        Exec("dotnet", _dir, [Path.Combine(AppContext.BaseDirectory, "update-tool.dll"), .. args]);

    private string[] CreateArgs(string output, params string[] extra) =>
        ["create", "--image", P("app.bin"), "--sequence", "3", "--version", "1.0.3", "--vendor-domain", "vendor.example",
         "--class-name", "esp32-trustx", "--component", "deploy", "--out", P(output), .. extra];

    [Fact]
    public void KeygenCreateVerify_Plain()
    {
        Assert.Equal(0, Tool(CreateArgs("app.suit", "--key", P("vendor.key.pem"))).Code);
        var verify = Tool("verify", P("app.suit"), "--pub", P("vendor.pub.pem"));
        Assert.Equal(0, verify.Code);
        Assert.Contains("OK", verify.Out);
    }

    [Fact]
    public void KeygenCreateVerify_Encrypted()
    {
        Assert.Equal(0, Tool(CreateArgs("enc.suit", "--key", P("vendor.key.pem"), "--encrypt", "--master-secret", P("vendor.master.hex"))).Code);
        Assert.Equal(0, Tool("verify", P("enc.suit"), "--pub", P("vendor.pub.pem"), "--master-secret", P("vendor.master.hex")).Code);
        var withoutSecret = Tool("verify", P("enc.suit"), "--pub", P("vendor.pub.pem"));
        Assert.Equal(3, withoutSecret.Code);
        Assert.Contains("--master-secret", withoutSecret.Out);
    }

    [Theory]
    [InlineData(150, 17, "manifest does not match")]   // inside the manifest
    [InlineData(60_000, 27, "image does not match")]   // inside the payload
    public void Tampering_FailsWithASpecificCodeAndMessage(int offset, int code, string message)
    {
        Tool(CreateArgs("app.suit", "--key", P("vendor.key.pem")));
        var bytes = File.ReadAllBytes(P("app.suit"));
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(P("bad.suit"), bytes);
        var verify = Tool("verify", P("bad.suit"), "--pub", P("vendor.pub.pem"));
        Assert.Equal(code, verify.Code);
        Assert.Contains(message, verify.Err);
        Assert.Single(verify.Err.Trim().Split('\n'));
    }

    [Fact]
    public void Truncated_AndWrongKey_Fail()
    {
        Tool(CreateArgs("app.suit", "--key", P("vendor.key.pem")));
        File.WriteAllBytes(P("short.suit"), File.ReadAllBytes(P("app.suit"))[..1000]);
        Assert.Equal(11, Tool("verify", P("short.suit"), "--pub", P("vendor.pub.pem")).Code);
        Tool("keygen", "--out", P("other"));
        Assert.Equal(18, Tool("verify", P("app.suit"), "--pub", P("other.pub.pem")).Code);
    }

    [Fact]
    public void OpensslKeys_AndAnExternalSigner_Work()
    {
        Assert.Equal(0, Exec("openssl", _dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", P("ec.pem")).Code);
        Assert.Equal(0, Exec("openssl", _dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", P("pk8.pem")).Code);
        Assert.Equal(0, Exec("openssl", _dir, "ec", "-in", P("pk8.pem"), "-pubout", "-out", P("pk8.pub")).Code);
        Assert.Equal(0, Tool(CreateArgs("ec.suit", "--key", P("ec.pem"))).Code);

        Assert.Equal(0, Tool(CreateArgs("app.unsigned", "--unsigned")).Code);
        Assert.Equal(18, Tool("verify", P("app.unsigned"), "--pub", P("pk8.pub")).Code);
        Assert.Equal(0, Tool("sign", "prepare", P("app.unsigned"), "--out", P("app.tbs")).Code);
        Assert.Equal(0, Exec("openssl", _dir, "dgst", "-sha256", "-sign", P("pk8.pem"), "-out", P("app.sig"), P("app.tbs")).Code);
        Assert.Equal(0, Tool("sign", "assemble", P("app.unsigned"), "--signature", P("app.sig"), "--pub", P("pk8.pub"), "--out", P("ext.suit")).Code);
        Assert.Equal(0, Tool("verify", P("ext.suit"), "--pub", P("pk8.pub")).Code);
        // A signature over other bytes is caught before anything is written.
        Assert.Equal(18, Tool("sign", "assemble", P("app.unsigned"), "--signature", P("app.sig"), "--pub", P("vendor.pub.pem"), "--out", P("x.suit")).Code);
        Assert.False(File.Exists(P("x.suit")));
    }

    [Fact]
    public void BadInput_GetsOneClearLineAndNoStackTrace()
    {
        Assert.Equal(0, Exec("openssl", _dir, "ecparam", "-name", "secp384r1", "-genkey", "-out", P("p384.pem")).Code);
        File.WriteAllText(P("garbage.pem"), "hello");
        foreach (var (args, expected) in new (string[], string)[]
        {
            (CreateArgs("x.suit", "--key", P("p384.pem")), "P-256"),
            (CreateArgs("x.suit", "--key", P("missing.pem")), "no such key file"),
            (CreateArgs("x.suit", "--key", P("garbage.pem")), "not a PEM file"),
            (CreateArgs("x.suit", "--key", P("vendor.pub.pem")), "private key"),
            (CreateArgs("x.suit", "--key", P("vendor.key.pem"), "--max-image-size", "100"), "over the limit"),
            (CreateArgs("x.suit", "--key", P("vendor.key.pem"), "--encrypt"), "--master-secret"),
            (["verify", P("missing.suit"), "--pub", P("vendor.pub.pem")], "no such data set file"),
        })
        {
            var r = Tool(args);
            Assert.Equal(2, r.Code);
            Assert.Contains(expected, r.Err);
            Assert.DoesNotContain("   at ", r.Err);
        }
    }

    [Fact]
    public void Inspect_ShowsEveryField_AsTextAndJson()
    {
        Tool(CreateArgs("enc.suit", "--key", P("vendor.key.pem"), "--encrypt", "--master-secret", P("vendor.master.hex")));
        var text = Tool("inspect", P("enc.suit"));
        Assert.Equal(0, text.Code);
        foreach (var field in new[] { "NOT VERIFIED", "sequence number", "vendor-id", "class-id", "image digest", "A128CTR", "kek salt", "1.0.3" })
            Assert.Contains(field, text.Out);
        var json = JsonDocument.Parse(Tool("inspect", P("enc.suit"), "--json").Out).RootElement;
        Assert.Equal(3, json.GetProperty("sequenceNumber").GetInt64());
        Assert.Equal(70_000, json.GetProperty("imageSize").GetInt64());
    }

    [Fact]
    public void AnIndependentImplementation_AcceptsOurDataSets()
    {
        var interop = Path.Combine(Vectors.Root, "..", "..", "tools", "interop");
        Assert.True(Directory.Exists(Path.Combine(interop, "node_modules")), "tools/interop/node_modules is missing: run 'make deps' (npm ci)");
        Tool(CreateArgs("app.suit", "--key", P("vendor.key.pem")));
        Tool(CreateArgs("enc.suit", "--key", P("vendor.key.pem"), "--encrypt", "--master-secret", P("vendor.master.hex")));
        var script = Path.Combine(interop, "verify-suit.mjs");
        var plain = Exec("node", interop, script, P("app.suit"), P("vendor.pub.pem"));
        Assert.True(plain.Code == 0, plain.Out + plain.Err);
        // suit-text with its language level (manifest-37, 8.4.4), the shape independent processors require
        Assert.Contains("\"textOk\":true", plain.Out);
        Assert.Contains("\"textLanguages\":[\"en\"]", plain.Out);
        Assert.Contains("\"textVersion\":\"1.0.3\"", plain.Out);
        // ... and its command sequences run in a generic SUIT processor (shared, install, validate).
        Assert.Contains("\"processed\":true", plain.Out);
        var encrypted = Exec("node", interop, script, P("enc.suit"), P("vendor.pub.pem"), P("vendor.master.hex"));
        Assert.True(encrypted.Code == 0, encrypted.Out + encrypted.Err);
        Assert.Contains("\"decrypted\":true", encrypted.Out);
        Assert.Contains("\"processed\":true", encrypted.Out);
        Assert.Contains("\"decryptedInCopy\":true", encrypted.Out); /* fetched into "ciphertext", decrypted by the copy (draft-24 section 8), image-match on the plaintext */
        // ... and refuses a tampered one.
        var bytes = File.ReadAllBytes(P("app.suit"));
        bytes[^10] ^= 1;
        File.WriteAllBytes(P("bad.suit"), bytes);
        Assert.Equal(1, Exec("node", interop, script, P("bad.suit"), P("vendor.pub.pem")).Code);
    }

    [Fact]
    public void EsDhAndMixedDataSets_VerifyWithEachKey_AndEveryRecipientWrapsTheSameKey()
    {
        Assert.Equal(0, Tool(CreateArgs("x.suit", "--key", P("vendor.key.pem"), "--encrypt", "--class-pub", P("class.pub.pem"))).Code);
        Assert.Equal(0, Tool(CreateArgs("mixed.suit", "--key", P("vendor.key.pem"), "--encrypt", "--master-secret", P("vendor.master.hex"), "--class-pub", P("class.pub.pem"))).Code);
        var x = Tool("verify", P("x.suit"), "--pub", P("vendor.pub.pem"), "--class-key", P("class.key.pem"));
        Assert.True(x.Code == 0, x.Out + x.Err);
        Assert.Contains("ES-DH recipient", x.Out);
        var both = Tool("verify", P("mixed.suit"), "--pub", P("vendor.pub.pem"), "--master-secret", P("vendor.master.hex"), "--class-key", P("class.key.pem"));
        Assert.True(both.Code == 0, both.Out + both.Err);
        Assert.Contains("master-secret recipient and ES-DH recipient", both.Out);
        // A key the data set has no recipient for is a failure, not a silent skip.
        Assert.Equal(10 + (int)SuitError.DecryptionFailed, Tool("verify", P("x.suit"), "--pub", P("vendor.pub.pem"), "--master-secret", P("vendor.master.hex")).Code);
        // Another class key does not unwrap.
        Assert.Equal(0, Tool("keygen", "--out", P("other")).Code);
        var wrong = Tool("verify", P("x.suit"), "--pub", P("vendor.pub.pem"), "--class-key", P("other.key.pem"));
        Assert.Equal(10 + (int)SuitError.DecryptionFailed, wrong.Code);
        Assert.Contains("ES-DH recipient's content key does not unwrap", wrong.Err);
        var text = Tool("inspect", P("mixed.suit")).Out;
        Assert.Contains("A128KW (-3)", text);
        Assert.Contains("ECDH-ES + A128KW (-29)", text);
        Assert.Contains("ephemeral key", text);
        Assert.Equal(2, Tool(CreateArgs("none.suit", "--key", P("vendor.key.pem"), "--encrypt")).Code);
    }

    [Fact]
    public void FirmwareAndApplication_InOneDataSet_VerifyHereAndInAnIndependentProcessor()
    {
        var interop = Path.Combine(Vectors.Root, "..", "..", "tools", "interop");
        File.WriteAllBytes(P("fw.bin"), Enumerable.Range(0, 50_000).Select(i => (byte)(i * 13)).ToArray());
        var args = CreateArgs("pair.suit", "--key", P("vendor.key.pem")).ToList();
        args[args.IndexOf("--component") + 1] = "nanoclr";
        args[args.IndexOf("--image") + 1] = P("fw.bin");
        args.AddRange(["--deploy-image", P("app.bin"), "--payload-uri", "https://updates.vendor.example/payloads/{component}/{sha256}", "--payload-out", P("pair.{component}.bin")]);
        var made = Tool(args.ToArray());
        Assert.True(made.Code == 0, made.Out + made.Err);
        Assert.Equal(0, Tool("verify", P("pair.suit"), "--pub", P("vendor.pub.pem"), "--image", P("pair.nanoclr.bin"), "--deploy-image", P("pair.deploy.bin")).Code);
        Assert.NotEqual(0, Tool("verify", P("pair.suit"), "--pub", P("vendor.pub.pem"), "--image", P("pair.deploy.bin"), "--deploy-image", P("pair.nanoclr.bin")).Code);
        var text = Tool("inspect", P("pair.suit")).Out;
        Assert.Contains("['nanoclr'] ['deploy']", text);
        Assert.Contains("deploy uri", text);
        var json = JsonDocument.Parse(Tool("inspect", P("pair.suit"), "--json").Out).RootElement;
        string uri0 = json.GetProperty("uri").GetString()!, uri1 = json.GetProperty("secondUri").GetString()!;
        var node = Exec("node", interop, Path.Combine(interop, "verify-suit.mjs"), P("pair.suit"), P("vendor.pub.pem"),
            "--payload", uri0 + "=" + P("pair.nanoclr.bin"), "--payload", uri1 + "=" + P("pair.deploy.bin"));
        Assert.True(node.Code == 0, node.Out + node.Err);
        Assert.Contains("\"processed\":true", node.Out);
        // The application goes with the firmware (--component nanoclr), and both are detached: the tool says so.
        Assert.Equal(2, Tool([.. CreateArgs("p2.suit", "--key", P("vendor.key.pem")), "--deploy-image", P("app.bin")]).Code);
        var notDetached = args.ToList();
        notDetached.RemoveRange(notDetached.IndexOf("--payload-uri"), 4);
        Assert.Equal(2, Tool(notDetached.ToArray()).Code);
    }

    [Fact]
    public void AnEncryptedPair_EachImageUnderItsOwnKey_VerifiesWithEitherChipKey_AndInAnIndependentProcessor()
    {
        var interop = Path.Combine(Vectors.Root, "..", "..", "tools", "interop");
        File.WriteAllBytes(P("fw.bin"), Enumerable.Range(0, 50_000).Select(i => (byte)(i * 13)).ToArray());
        var args = CreateArgs("epair.suit", "--key", P("vendor.key.pem")).ToList();
        args[args.IndexOf("--component") + 1] = "nanoclr";
        args[args.IndexOf("--image") + 1] = P("fw.bin");
        args.AddRange(["--deploy-image", P("app.bin"), "--payload-uri", "https://updates.vendor.example/payloads/{component}/{sha256}", "--payload-out", P("epair.{component}.bin"),
            "--encrypt", "--master-secret", P("vendor.master.hex"), "--class-pub", P("class.pub.pem")]);
        var made = Tool(args.ToArray());
        Assert.True(made.Code == 0, made.Out + made.Err);
        Assert.NotEqual(File.ReadAllBytes(P("fw.bin")), File.ReadAllBytes(P("epair.nanoclr.bin")));
        string[] verify = ["verify", P("epair.suit"), "--pub", P("vendor.pub.pem"), "--image", P("epair.nanoclr.bin"), "--deploy-image", P("epair.deploy.bin")];
        Assert.Equal(0, Tool([.. verify, "--master-secret", P("vendor.master.hex")]).Code);
        Assert.Equal(0, Tool([.. verify, "--class-key", P("class.key.pem")]).Code);
        // The plaintext application in place of its ciphertext does not decrypt to the digest.
        var plain = Tool("verify", P("epair.suit"), "--pub", P("vendor.pub.pem"), "--image", P("epair.nanoclr.bin"), "--deploy-image", P("app.bin"), "--master-secret", P("vendor.master.hex"));
        Assert.Equal(10 + (int)SuitError.PayloadDigestMismatch, plain.Code);
        Assert.Contains("application: decrypted image does not match", plain.Err);

        var json = JsonDocument.Parse(Tool("inspect", P("epair.suit"), "--json").Out).RootElement;
        Assert.Equal(3, json.GetProperty("components").GetArrayLength());
        string iv0 = json.GetProperty("encryption").GetProperty("iv").GetString()!, iv1 = json.GetProperty("secondEncryption").GetProperty("iv").GetString()!;
        Assert.NotEqual(iv0, iv1);
        // One KEK per data set: both images' master-secret recipients carry the data set's one salt.
        string Salt(string name) => json.GetProperty(name).GetProperty("recipients")[0].GetProperty("salt").GetString()!;
        Assert.Equal(Salt("encryption"), Salt("secondEncryption"));
        Assert.Contains("deploy encryption", Tool("inspect", P("epair.suit")).Out);
        string uri0 = json.GetProperty("uri").GetString()!, uri1 = json.GetProperty("secondUri").GetString()!;
        var node = Exec("node", interop, Path.Combine(interop, "verify-suit.mjs"), P("epair.suit"), P("vendor.pub.pem"), P("vendor.master.hex"),
            "--payload", uri0 + "=" + P("epair.nanoclr.bin"), "--payload", uri1 + "=" + P("epair.deploy.bin"));
        Assert.True(node.Code == 0, node.Out + node.Err);
        Assert.Contains("\"decryptedInCopy\":true", node.Out);
        Assert.Contains("\"processed\":true", node.Out);
    }

    [Fact]
    public void AFirmwareDependency_IsWrittenShownAndCheckedByAnIndependentProcessor()
    {
        var interop = Path.Combine(Vectors.Root, "..", "..", "tools", "interop");
        var made = Tool(CreateArgs("r.suit", "--key", P("vendor.key.pem"), "--requires-firmware", "1.12.0"));
        Assert.True(made.Code == 0, made.Out + made.Err);
        Assert.Contains("requires firmware 1.12.0 or newer", made.Out);
        Assert.Equal(0, Tool("verify", P("r.suit"), "--pub", P("vendor.pub.pem")).Code);
        var inspect = Tool("inspect", P("r.suit")).Out;
        Assert.Contains("['deploy'] ['nanoclr']", inspect);
        Assert.Contains("nanoclr >= 1.12.0", inspect);
        Assert.Contains("condition-version", inspect);
        Assert.Equal(0, Tool(CreateArgs("re.suit", "--key", P("vendor.key.pem"), "--requires-firmware", "2", "--encrypt", "--master-secret", P("vendor.master.hex"))).Code);
        Assert.Equal(0, Tool("verify", P("re.suit"), "--pub", P("vendor.pub.pem"), "--master-secret", P("vendor.master.hex")).Code);

        // The draft's semantics in an independent processor: the condition holds for the versions a
        // device would accept and fails for the ones it refuses.
        var script = Path.Combine(interop, "verify-suit.mjs");
        foreach (var (installed, holds) in new[] { ("1.12.0", true), ("1.12", true), ("1.13.0.1", true), ("1.11.99", false), ("0.99", false) })
        {
            var node = Exec("node", interop, script, P("r.suit"), P("vendor.pub.pem"), "--installed", "nanoclr=" + installed);
            Assert.True((node.Code == 0) == holds, installed + ": " + node.Out + node.Err);
            Assert.Contains(holds ? "\"processed\":true" : "condition-version failed", node.Out);
        }
        var encrypted = Exec("node", interop, script, P("re.suit"), P("vendor.pub.pem"), P("vendor.master.hex"), "--installed", "nanoclr=2.0.1");
        Assert.True(encrypted.Code == 0, encrypted.Out + encrypted.Err);
        Assert.Contains("\"decryptedInCopy\":true", encrypted.Out);

        // Where a dependency means nothing, or the version is not one, the tool says so before writing.
        foreach (var bad in new[] { new[] { "--requires-firmware", "1.x" }, ["--requires-firmware", "1.2.3.4.5"], ["--requires-firmware", "99999999999"], ["--requires-firmware", ""] })
        {
            var r = Tool(CreateArgs("bad.suit", [.. bad, "--key", P("vendor.key.pem")]));
            Assert.Equal(2, r.Code);
            Assert.Contains("--requires-firmware", r.Err);
            Assert.False(File.Exists(P("bad.suit")));
        }
        var firmware = Tool(["create", "--image", P("app.bin"), "--sequence", "3", "--version", "1.0.3", "--vendor-domain", "vendor.example",
            "--class-name", "esp32-trustx", "--component", "nanoclr", "--out", P("bad.suit"), "--key", P("vendor.key.pem"), "--requires-firmware", "1.0"]);
        Assert.Equal(2, firmware.Code);
        Assert.Contains("application data set", firmware.Err);
    }

    [Fact]
    public void ASeveredText_IsVerifiedShownAndAcceptedByAnIndependentProcessor()
    {
        var interop = Path.Combine(Vectors.Root, "..", "..", "tools", "interop");
        Assert.Equal(0, Tool(CreateArgs("s.suit", "--key", P("vendor.key.pem"), "--severable-text")).Code);
        Assert.Equal(0, Tool("verify", P("s.suit"), "--pub", P("vendor.pub.pem")).Code);
        Assert.Contains("1.0.3", Tool("inspect", P("s.suit")).Out);
        var node = Exec("node", interop, Path.Combine(interop, "verify-suit.mjs"), P("s.suit"), P("vendor.pub.pem"));
        Assert.True(node.Code == 0, node.Out + node.Err);
        Assert.Contains("\"textSevered\":true", node.Out);
        Assert.Contains("\"textVersion\":\"1.0.3\"", node.Out);
        Assert.Equal(2, Tool(CreateArgs("u.suit", "--unsigned", "--severable-text")).Code); /* external signing keeps the text inline */
    }

    [Fact]
    public void DetachedPayloads_VerifyWithTheirPayloadFile_HereAndInAnIndependentProcessor()
    {
        var interop = Path.Combine(Vectors.Root, "..", "..", "tools", "interop");
        const string uri = "https://updates.vendor.example/payloads/{sha256}";
        var made = Tool(CreateArgs("d.suit", "--key", P("vendor.key.pem"), "--payload-uri", uri, "--payload-out", P("d.bin")));
        Assert.True(made.Code == 0, made.Out + made.Err);
        var digest = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(P("d.bin")))).ToLowerInvariant();
        Assert.Contains("https://updates.vendor.example/payloads/" + digest, made.Out); /* {sha256} is the payload file's digest */
        Assert.True(new FileInfo(P("d.suit")).Length < 1000); /* the envelope alone */
        Assert.Equal(0, Tool("verify", P("d.suit"), "--pub", P("vendor.pub.pem"), "--image", P("d.bin")).Code);
        Assert.Equal(3, Tool("verify", P("d.suit"), "--pub", P("vendor.pub.pem")).Code); /* incomplete without the payload */
        Assert.Equal(0, Tool(CreateArgs("de.suit", "--key", P("vendor.key.pem"), "--encrypt", "--master-secret", P("vendor.master.hex"), "--payload-uri", uri, "--payload-out", P("de.bin"))).Code);
        Assert.Equal(0, Tool("verify", P("de.suit"), "--pub", P("vendor.pub.pem"), "--master-secret", P("vendor.master.hex"), "--image", P("de.bin")).Code);

        var script = Path.Combine(interop, "verify-suit.mjs");
        var plain = Exec("node", interop, script, P("d.suit"), P("vendor.pub.pem"), "--payload", P("d.bin"));
        Assert.True(plain.Code == 0, plain.Out + plain.Err);
        Assert.Contains("\"detached\":true", plain.Out);
        Assert.Contains("\"processed\":true", plain.Out);
        var encrypted = Exec("node", interop, script, P("de.suit"), P("vendor.pub.pem"), P("vendor.master.hex"), "--payload", P("de.bin"));
        Assert.True(encrypted.Code == 0, encrypted.Out + encrypted.Err);
        Assert.Contains("\"processed\":true", encrypted.Out);
        Assert.Contains("\"decryptedInCopy\":true", encrypted.Out);
        Assert.Equal(1, Exec("node", interop, script, P("d.suit"), P("vendor.pub.pem"), "--payload", P("de.bin")).Code); /* not the signed payload */

        // URIs the profile refuses are refused by the tool before it writes anything.
        foreach (var bad in new[] { "ftp://x/{sha256}", "#image", "https:///nohost", "https://x/a b" })
        {
            var r = Tool(CreateArgs("bad.suit", "--key", P("vendor.key.pem"), "--payload-uri", bad, "--payload-out", P("bad.bin")));
            Assert.Equal(2, r.Code);
            Assert.False(File.Exists(P("bad.bin")) || File.Exists(P("bad.suit")), bad);
        }
    }

    [Fact]
    public void AnIndependentImplementation_OpensBothRecipients()
    {
        var interop = Path.Combine(Vectors.Root, "..", "..", "tools", "interop");
        Assert.True(Directory.Exists(Path.Combine(interop, "node_modules")), "tools/interop/node_modules is missing: run 'make deps' (npm ci)");
        Tool(CreateArgs("mixed.suit", "--key", P("vendor.key.pem"), "--encrypt", "--master-secret", P("vendor.master.hex"), "--class-pub", P("class.pub.pem")));
        var script = Path.Combine(interop, "verify-suit.mjs");
        var both = Exec("node", interop, script, P("mixed.suit"), P("vendor.pub.pem"), P("vendor.master.hex"), P("class.key.pem"));
        Assert.True(both.Code == 0, both.Out + both.Err);
        Assert.Contains("\"recipients\":[-3,-29]", both.Out);
        Assert.Contains("\"recipientsOpened\":2", both.Out);
        Assert.Contains("\"processed\":true", both.Out);
        var esdh = Exec("node", interop, script, P("mixed.suit"), P("vendor.pub.pem"), P("class.key.pem"));
        Assert.True(esdh.Code == 0, esdh.Out + esdh.Err);
        Assert.Contains("\"recipientsOpened\":1", esdh.Out);
        Assert.Equal(0, Tool("keygen", "--out", P("stranger")).Code);
        Assert.Equal(1, Exec("node", interop, script, P("mixed.suit"), P("vendor.pub.pem"), P("stranger.key.pem")).Code);
    }
}

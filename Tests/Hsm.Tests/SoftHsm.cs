using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.Pkcs11;
using Xunit;

namespace SecureOta.Hsm.Tests;

/// <summary>
/// A SoftHSM2 token for the tests, in its own config file and token directory (never the system's):
/// the ceremony of docs/hsm.md run once per test run through the project's own commands' code.
/// </summary>
public sealed class SoftHsm : IDisposable
{
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    public const string Label = "secure-ota-test";
    public const string Pin = "4711-test", SoPin = "0815-so";
    public string Dir { get; } = Directory.CreateTempSubdirectory("softhsm-").FullName;
    public X509Certificate2 CaCertificate { get; }
    public ECParameters SigningPublic { get; }
    public ECParameters ClassPublic { get; }

    public SoftHsm()
    {
        if (!File.Exists(Module)) throw new InvalidOperationException($"{Module} is missing: the Makefile installs softhsm2 (make deps)");
        Directory.CreateDirectory(Path.Combine(Dir, "tokens"));
        File.WriteAllText(Path.Combine(Dir, "softhsm2.conf"), $"directories.tokendir = {Path.Combine(Dir, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n");
        // SoftHSM2 reads SOFTHSM2_CONF with the C library's getenv, which .NET's SetEnvironmentVariable does
        // not reach on Unix: set it natively too, or the token would land in the system's directory.
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", Path.Combine(Dir, "softhsm2.conf"));
        if (setenv("SOFTHSM2_CONF", Path.Combine(Dir, "softhsm2.conf"), 1) != 0) throw new InvalidOperationException("setenv failed");
        Pkcs11Token.InitToken(Module, Label, SoPin, Pin);
        using var t = Open();
        SigningPublic = t.GenerateEcKey("signing");
        t.GenerateEcKey("device-ca");
        ClassPublic = t.GenerateEcKey("class", forPersonalisation: true);
        t.GenerateSecret("master", forProvisioning: true);
        t.GenerateSecret("master-sealed", forProvisioning: false);
        var generator = new TokenSignatureGenerator(t, "device-ca");
        var name = new X500DistinguishedName("CN=test device CA");
        var request = new CertificateRequest(name, generator.PublicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(generator.PublicKey, false));
        using var cert = request.Create(name, generator, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10), [1, 2, 3]);
        CaCertificate = X509CertificateLoader.LoadCertificate(cert.RawData);
    }

    public Pkcs11Token Open() => Pkcs11Token.Open(Module, Label, Pin);

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);

    public void Dispose()
    {
        CaCertificate.Dispose();
        Directory.Delete(Dir, true);
    }
}

[CollectionDefinition(Name)]
public sealed class SoftHsmCollection : ICollectionFixture<SoftHsm>
{
    public const string Name = "softhsm";
}

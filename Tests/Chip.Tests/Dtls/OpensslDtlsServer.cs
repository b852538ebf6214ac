using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SecureOta.Chip.Tests.Dtls;

/// <summary>
/// An independent DTLS 1.2 server: OpenSSL's own `openssl s_server -dtls1_2` (Debian's openssl, installed by the
/// Makefile) with TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 only, its certificate issued by a CA made for the test,
/// optionally asking for the client's certificate (-Verify, checked against the client CA) and exchanging
/// cookies first (-listen: HelloVerifyRequest). What the server receives it prints; what is written to its
/// standard input it sends as application data.
/// </summary>
public sealed class OpensslDtlsServer : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _dir;

    public int Port { get; }
    public X509Certificate2 ServerCa { get; }

    public OpensslDtlsServer(X509Certificate2 serverCa, ECDsa serverCaKey, X509Certificate2? clientCa, bool cookies, X509Certificate2? serverCertificate = null, ECDsa? serverKey = null)
    {
        ServerCa = serverCa;
        _dir = Directory.CreateTempSubdirectory("dtls-").FullName;
        serverKey ??= ECDsa.Create(ECCurve.NamedCurves.nistP256);
        serverCertificate ??= Issue("CN=dtls server", serverKey, serverCa, serverCaKey, ca: false);
        File.WriteAllText(Path.Combine(_dir, "server.pem"), serverCertificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
        Port = FreeUdpPort();
        var args = new List<string> { "s_server", "-dtls1_2", "-port", Port.ToString(), "-cert", "server.pem", "-key", "server.key",
            "-cipher", "ECDHE-ECDSA-AES128-CCM8", "-naccept", "1" };
        if (clientCa is not null)
        {
            File.WriteAllText(Path.Combine(_dir, "client-ca.pem"), clientCa.ExportCertificatePem());
            args.AddRange(["-Verify", "1", "-verify_return_error", "-CAfile", "client-ca.pem"]);
        }
        if (cookies) args.Add("-listen");
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = _dir, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        _process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // s_server prints ACCEPT once its socket is bound.
        if (!WaitFor("ACCEPT", TimeSpan.FromSeconds(10))) throw new InvalidOperationException("openssl s_server did not start: " + Output);
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public bool WaitFor(string text, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Output.Contains(text)) return true;
            if (_process.HasExited) return Output.Contains(text);
            Thread.Sleep(20);
        }
        return false;
    }

    /// <summary>Sent by the server as application data once the handshake is done.</summary>
    public void Send(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    public static X509Certificate2 Issue(string subject, ECDsa key, X509Certificate2 issuer, ECDsa issuerKey, bool ca,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using var signer = issuer.CopyWithPrivateKey(issuerKey);
        return request.Create(signer, notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(1), serial);
    }

    public static (X509Certificate2 Certificate, ECDsa Key) MakeCa(string subject)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-90), DateTimeOffset.UtcNow.AddYears(5));
        return (X509CertificateLoader.LoadCertificate(cert.RawData), key);
    }

    private static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

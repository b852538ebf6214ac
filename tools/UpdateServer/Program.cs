using System.Net;
using System.Security.Cryptography;
using SecureOta.UpdateServer;

// update-server --data DIR [--urls URL] [--admin-token-file FILE] [--vendor-key PEM]... [--artifact-base-url URL]
//               [--db NPGSQL-CONNECTION-STRING] [--poll-seconds S] [--device-rate-limit REQUESTS-PER-MINUTE]
//               [--source-rate-limit REQUESTS-PER-MINUTE] [--nonce-rate-limit NONCES-PER-MINUTE]
// The admin token comes from --admin-token-file or the UPDATE_SERVER_ADMIN_TOKEN environment variable
// (never the command line, where /proc/PID/cmdline shows it to every local user); without either, one is
// generated and printed once. Every start-up problem is one line on stderr and exit code 2.
const string Usage = "usage: update-server --data DIR [--urls http://127.0.0.1:5080] [--admin-token-file FILE] [--vendor-key vendor.pub.pem]... [--artifact-base-url URL] [--db NPGSQL-CONNECTION-STRING] [--poll-seconds 300] [--device-rate-limit 60] [--source-rate-limit 1200] [--nonce-rate-limit 6000]";
string? data = null, tokenFile = null, artifactBase = null, database = null, urls = null;
int pollSeconds = 300, rateLimit = 60, sourceLimit = 1200, nonceLimit = 6000;
var keys = new List<ECDsa>();
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "--data": data = Next(); break;
            case "--admin-token-file": tokenFile = Next(); break;
            case "--admin-token": throw new ArgumentException("--admin-token is not accepted (the command line is readable by every local user in /proc); put the token in a file for --admin-token-file, or in UPDATE_SERVER_ADMIN_TOKEN");
            case "--db": database = Next(); break;
            case "--urls": urls = Next(); break;
            case "--artifact-base-url": artifactBase = AbsoluteHttpUrl("--artifact-base-url", Next()); break;
            case "--poll-seconds": pollSeconds = PositiveInt(args[i], Next(), 86_400); break;
            case "--device-rate-limit": rateLimit = PositiveInt(args[i], Next(), 1_000_000); break;
            case "--source-rate-limit": sourceLimit = PositiveInt(args[i], Next(), 10_000_000); break;
            case "--nonce-rate-limit": nonceLimit = PositiveInt(args[i], Next(), 10_000_000); break;
            case "--vendor-key": keys.Add(VendorKey(Next())); break;
            case "--help" or "-h":
                Console.WriteLine(Usage);
                return 0;
            default: throw new ArgumentException($"unknown option {args[i]} ({Usage})");
        }
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine($"update-server: {e.Message}");
        return 2;
    }
}
if (data is null) { Console.Error.WriteLine("update-server: --data DIR is required (where the database and artifacts live)"); return 2; }

string? token;
try
{
    token = AdminToken(tokenFile);
    urls = ListenUrls(urls ?? "http://127.0.0.1:5080");
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"update-server: {e.Message}");
    return 2;
}

var options = new ServerOptions { DataDirectory = Path.GetFullPath(data), AdminToken = token, VendorKeys = keys, ArtifactBaseUrl = artifactBase, Database = database,
    PollSeconds = pollSeconds, DeviceRequestsPerMinute = rateLimit, SourceRequestsPerMinute = sourceLimit, NonceRequestsPerMinute = nonceLimit };
WebApplication app;
string? newToken;
try
{
    var builder = WebApplication.CreateBuilder();
    builder.WebHost.UseUrls(urls);
    app = ServerApp.Build(builder, options, out newToken);
}
catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or SecureOta.UpdateServer.Storage.Sqlite.SqliteException
                           or Npgsql.NpgsqlException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"update-server: cannot open the server's state: {e.Message}");
    return 2;
}
if (newToken is not null) Console.WriteLine($"update-server: admin token (shown once, stored hashed): {newToken}");
if (keys.Count == 0) Console.WriteLine("update-server: no --vendor-key given: uploads are refused until one is configured");
try
{
    app.Run();
}
catch (IOException e)
{
    Console.Error.WriteLine($"update-server: cannot listen: {e.Message} (another server on that port? choose one with --urls)");
    return 2;
}
return 0;

static int PositiveInt(string option, string value, int max) =>
    int.TryParse(value, out var n) && n >= 1 && n <= max ? n : throw new ArgumentException($"{option} {value}: a whole number from 1 to {max}");

// A P-256 public key (PEM): the only curve the profile signs with (C2: a P-384 key used to be accepted
// and every upload then failed).
static ECDsa VendorKey(string path)
{
    if (!File.Exists(path)) throw new ArgumentException($"--vendor-key {path}: no such file");
    var key = ECDsa.Create();
    try
    {
        key.ImportFromPem(File.ReadAllText(path));
    }
    catch (Exception e) when (e is ArgumentException or CryptographicException)
    {
        key.Dispose();
        throw new ArgumentException($"--vendor-key {path}: not an EC public key in PEM ({e.Message})");
    }
    if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != "1.2.840.10045.3.1.7")
    {
        key.Dispose();
        throw new ArgumentException($"--vendor-key {path}: the key is not P-256 (data sets are signed with ES256 = ECDSA P-256)");
    }
    return key;
}

static string? AdminToken(string? file)
{
    string? token = null, from = null;
    if (file is not null)
    {
        if (!File.Exists(file)) throw new ArgumentException($"--admin-token-file {file}: no such file");
        token = File.ReadAllText(file).Trim();
        from = "--admin-token-file " + file;
    }
    else if (Environment.GetEnvironmentVariable("UPDATE_SERVER_ADMIN_TOKEN") is { } env)
    {
        token = env.Trim();
        from = "UPDATE_SERVER_ADMIN_TOKEN";
    }
    if (token is not null && token.Length < 16)
        throw new ArgumentException($"{from}: the admin token is {(token.Length == 0 ? "empty" : "shorter than 16 characters")}; use a long random secret (or neither, and the server makes one)");
    return token;
}

// Kestrel listens on every interface for a host name other than localhost (C2): only IP addresses and
// localhost are accepted, so where the server listens is what the operator wrote.
static string ListenUrls(string value)
{
    foreach (var url in value.Split(';', StringSplitOptions.RemoveEmptyEntries))
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.Port < 0)
            throw new ArgumentException($"--urls {url}: not a listen URL such as http://127.0.0.1:5080 (scheme, address, port)");
        if (uri.Host != "localhost" && !IPAddress.TryParse(uri.Host.Trim('[', ']'), out _))
            throw new ArgumentException($"--urls {url}: {uri.Host} is a host name, on which the server would listen on every interface; give an IP address (127.0.0.1, or 0.0.0.0 for all interfaces) or localhost");
    }
    return value;
}

static string AbsoluteHttpUrl(string option, string value) =>
    Uri.TryCreate(value, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
        ? value : throw new ArgumentException($"{option} {value}: an absolute http(s) URL");

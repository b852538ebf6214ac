using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using SecureOta.UpdateServer;

// update-server --data DIR [--urls URL] [--tls-cert PEM --tls-key PEM] [--plain-http] [--log-format text|json] [--trusted-proxy IP]... [--admin-token-file FILE] [--vendor-key PEM]... [--channel-key PEM] [--artifact-base-url URL]
//               [--db NPGSQL-CONNECTION-STRING] [--poll-seconds S] [--device-rate-limit REQUESTS-PER-MINUTE]
//               [--source-rate-limit REQUESTS-PER-MINUTE] [--nonce-rate-limit NONCES-PER-MINUTE]
// The admin token comes from --admin-token-file or the UPDATE_SERVER_ADMIN_TOKEN environment variable
// (never the command line, where /proc/PID/cmdline shows it to every local user); without either, one is
// generated and printed once. The options are parsed by System.CommandLine (update-server --help); every
// start-up problem is one line on stderr and exit code 2.
var dataOption = new Option<string>("--data") { Description = "Directory for the SQLite database and the artifacts (created on first start)" };
var urlsOption = new Option<string>("--urls") { Description = "Where to listen: IP addresses or localhost, ';'-separated (default https://127.0.0.1:5443 with --tls-cert, else http://127.0.0.1:5080)" };
var tlsCertOption = new Option<string>("--tls-cert") { Description = "The server's certificate (PEM, its chain may follow) for https:// addresses" };
var tlsKeyOption = new Option<string>("--tls-key") { Description = "The private key of --tls-cert (PEM)" };
var logFormatOption = new Option<string>("--log-format") { Description = "text (one line each) or json (one JSON object a line, for a log collector)", DefaultValueFactory = _ => "text" };
logFormatOption.AcceptOnlyFromAmong("text", "json");
var trustedProxyOption = new Option<string[]>("--trusted-proxy") { Description = "A load balancer's IP address whose X-Forwarded-For/-Proto are believed; repeatable", AllowMultipleArgumentsPerToken = false };
var plainHttpOption = new Option<bool>("--plain-http") { Description = "Allow plain http:// on addresses other than loopback (session tokens then cross the network in clear)" };
var tokenFileOption = new Option<string>("--admin-token-file") { Description = "File holding the admin token (or set UPDATE_SERVER_ADMIN_TOKEN)" };
var tokenOption = new Option<string>("--admin-token") { Hidden = true };
var vendorKeyOption = new Option<string[]>("--vendor-key") { Description = "A vendor's P-256 public key (PEM) accepted for uploads; repeatable", AllowMultipleArgumentsPerToken = false };
var channelKeyOption = new Option<string>("--channel-key") { Description = "The update channel key (P-256 private key, PEM) that signs each check-in's freshness statement; its certificate is the boards' trust anchor 0xE0E8" };
var artifactBaseOption = new Option<string>("--artifact-base-url") { Description = "Where devices download artifacts (nginx, a CDN); default: this server" };
var dbOption = new Option<string>("--db") { Description = "An Npgsql connection string: keep the state in PostgreSQL" };
var pollOption = new Option<int>("--poll-seconds") { Description = "Interval devices are told to wait", DefaultValueFactory = _ => 300 };
var deviceLimitOption = new Option<int>("--device-rate-limit") { Description = "Requests per authenticated device and minute", DefaultValueFactory = _ => 60 };
var sourceLimitOption = new Option<int>("--source-rate-limit") { Description = "Device API requests per source address and minute", DefaultValueFactory = _ => 1200 };
var nonceLimitOption = new Option<int>("--nonce-rate-limit") { Description = "Nonces issued per minute, server-wide", DefaultValueFactory = _ => 6000 };
var root = new RootCommand("The update server: device API, admin API, downloads, dashboard (docs/update-server.md).");
foreach (var o in new Option[] { dataOption, urlsOption, tlsCertOption, tlsKeyOption, plainHttpOption, logFormatOption, trustedProxyOption, tokenFileOption, tokenOption, vendorKeyOption, channelKeyOption, artifactBaseOption, dbOption, pollOption, deviceLimitOption, sourceLimitOption, nonceLimitOption })
    root.Options.Add(o);
var parsed = root.Parse(args);
if (parsed.Action is not null && parsed.Errors.Count == 0 && parsed.Tokens.Any(t => t.Value is "--help" or "-h" or "-?" or "--version"))
    return parsed.Invoke(); // help or version
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"update-server: {parsed.Errors[0].Message} (update-server --help lists the options)");
    return 2;
}

string? data, tokenFile, artifactBase, database, urls, tlsCert, tlsKey;
bool plainHttp;
int pollSeconds, rateLimit, sourceLimit, nonceLimit;
var keys = new List<ECDsa>();
ECDsa? channelKey = null;
var proxies = new List<IPAddress>();
try
{
    if (parsed.GetValue(tokenOption) is not null)
        throw new ArgumentException("--admin-token is not accepted (the command line is readable by every local user in /proc); put the token in a file for --admin-token-file, or in UPDATE_SERVER_ADMIN_TOKEN");
    data = parsed.GetValue(dataOption);
    tokenFile = parsed.GetValue(tokenFileOption);
    database = parsed.GetValue(dbOption);
    tlsCert = parsed.GetValue(tlsCertOption);
    tlsKey = parsed.GetValue(tlsKeyOption);
    plainHttp = parsed.GetValue(plainHttpOption);
    if ((tlsCert is null) != (tlsKey is null))
        throw new ArgumentException(tlsCert is null ? "--tls-key needs --tls-cert (the certificate it belongs to)" : "--tls-cert needs --tls-key (its private key, PEM)");
    urls = parsed.GetValue(urlsOption) ?? (tlsCert is not null ? SecureOta.UpdateServer.Security.ServerTls.DefaultHttpsUrl : SecureOta.UpdateServer.Security.ServerTls.DefaultHttpUrl);
    artifactBase = parsed.GetValue(artifactBaseOption) is { } b ? AbsoluteHttpUrl("--artifact-base-url", b) : null;
    pollSeconds = InRange("--poll-seconds", parsed.GetValue(pollOption), 86_400);
    rateLimit = InRange("--device-rate-limit", parsed.GetValue(deviceLimitOption), 1_000_000);
    sourceLimit = InRange("--source-rate-limit", parsed.GetValue(sourceLimitOption), 10_000_000);
    nonceLimit = InRange("--nonce-rate-limit", parsed.GetValue(nonceLimitOption), 10_000_000);
    foreach (var path in parsed.GetValue(vendorKeyOption) ?? []) keys.Add(VendorKey(path));
    if (parsed.GetValue(channelKeyOption) is { } channelPath) channelKey = ChannelKey(channelPath);
    foreach (var proxy in parsed.GetValue(trustedProxyOption) ?? [])
        proxies.Add(IPAddress.TryParse(proxy, out var address) ? address : throw new ArgumentException($"--trusted-proxy {proxy}: an IP address (the load balancer's, as the server sees it)"));
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"update-server: {e.Message}");
    return 2;
}
if (data is null) { Console.Error.WriteLine("update-server: --data DIR is required (where the database and artifacts live)"); return 2; }

string? token;
System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null;
try
{
    token = AdminToken(tokenFile);
    urls = ListenUrls(urls!);
    SecureOta.UpdateServer.Security.ServerTls.CheckListenUrls(urls, tlsCert is not null, plainHttp);
    if (tlsCert is not null) certificate = SecureOta.UpdateServer.Security.ServerTls.Load(tlsCert, tlsKey!, DateTimeOffset.UtcNow);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"update-server: {e.Message}");
    return 2;
}

var options = new ServerOptions { DataDirectory = Path.GetFullPath(data), AdminToken = token, VendorKeys = keys, ChannelKey = channelKey, Certificate = certificate, JsonLogs = parsed.GetValue(logFormatOption) == "json", TrustedProxies = proxies, ArtifactBaseUrl = artifactBase, Database = database,
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

static int InRange(string option, int value, int max) =>
    value >= 1 && value <= max ? value : throw new ArgumentException($"{option} {value}: a whole number from 1 to {max}");

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

// The channel key: a P-256 private key (PEM, PKCS#8 or SEC1), never printed or logged.
static ECDsa ChannelKey(string path)
{
    if (!File.Exists(path)) throw new ArgumentException($"--channel-key {path}: no such file");
    var key = ECDsa.Create();
    try
    {
        key.ImportFromPem(File.ReadAllText(path));
        key.ExportParameters(true);
    }
    catch (Exception e) when (e is ArgumentException or CryptographicException)
    {
        key.Dispose();
        throw new ArgumentException($"--channel-key {path}: not an EC private key in PEM (update-tool keygen --out makes one)");
    }
    if (key.KeySize != 256)
    {
        key.Dispose();
        throw new ArgumentException($"--channel-key {path}: the key is not P-256 (the chip verifies ES256)");
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

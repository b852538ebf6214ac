using System.Security.Cryptography;
using SecureOta.UpdateServer;

// update-server --data DIR [--urls URL] [--admin-token T] [--vendor-key PEM]... [--artifact-base-url URL]
//               [--db NPGSQL-CONNECTION-STRING] [--poll-seconds S] [--device-rate-limit REQUESTS-PER-MINUTE]
string? data = null, token = null, artifactBase = null, database = null;
int pollSeconds = 300, rateLimit = 60;
var keys = new List<ECDsa>();
var rest = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "--data": data = Next(); break;
            case "--admin-token": token = Next(); break;
            case "--db": database = Next(); break;
            case "--artifact-base-url": artifactBase = Next(); break;
            case "--poll-seconds": pollSeconds = PositiveInt(args[i], Next(), 86_400); break;
            case "--device-rate-limit": rateLimit = PositiveInt(args[i], Next(), 1_000_000); break;
            case "--vendor-key":
                var path = Next();
                if (!File.Exists(path)) { Console.Error.WriteLine($"update-server: --vendor-key {path}: no such file"); return 2; }
                var key = ECDsa.Create();
                key.ImportFromPem(File.ReadAllText(path));
                keys.Add(key);
                break;
            case "--help" or "-h":
                Console.WriteLine("usage: update-server --data DIR [--urls http://127.0.0.1:5080] [--admin-token T] [--vendor-key vendor.pub.pem]... [--artifact-base-url URL] [--db NPGSQL-CONNECTION-STRING] [--poll-seconds 300] [--device-rate-limit 60]");
                return 0;
            default: rest.Add(args[i]); break;
        }
    }
    catch (Exception e) when (e is ArgumentException or CryptographicException)
    {
        Console.Error.WriteLine($"update-server: {e.Message}");
        return 2;
    }
}
if (data is null) { Console.Error.WriteLine("update-server: --data DIR is required (where the database and artifacts live)"); return 2; }
if (!rest.Contains("--urls")) rest.AddRange(["--urls", "http://127.0.0.1:5080"]);

var options = new ServerOptions { DataDirectory = Path.GetFullPath(data), AdminToken = token, VendorKeys = keys, ArtifactBaseUrl = artifactBase, Database = database,
    PollSeconds = pollSeconds, DeviceRequestsPerMinute = rateLimit };
WebApplication app;
string? newToken;
try
{
    app = ServerApp.Build(WebApplication.CreateBuilder(rest.ToArray()), options, out newToken);
}
catch (Exception e) when (e is InvalidOperationException or SecureOta.UpdateServer.Storage.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
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

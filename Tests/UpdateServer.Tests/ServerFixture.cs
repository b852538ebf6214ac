using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using SecureOta.Agent.Tests;
using SecureOta.ChipEmulator;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>A clock that only moves when told to.</summary>
public sealed class ManualTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A real update server (Kestrel) on a free loopback port with its own data directory.</summary>
public sealed class ServerFixture : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token";
    private readonly WebApplication _app;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("update-server-").FullName;

    /// <summary>The running application (its endpoints, for the OpenAPI completeness test).</summary>
    public WebApplication App { get; }
    public string BaseUrl { get; }
    public HttpClient Admin { get; }
    public HttpClient Anonymous { get; }

    public ServerFixture(params ECDsa[] vendorKeys) : this(60, vendorKeys)
    {
    }

    /// <summary>The server's clock: moved by tests that check expiry.</summary>
    public ManualTime Time { get; } = new();

    public ServerFixture(int deviceRequestsPerMinute, params ECDsa[] vendorKeys) : this(deviceRequestsPerMinute, null, vendorKeys)
    {
    }

    /// <summary>With database: the server keeps its state in that PostgreSQL database instead of SQLite.</summary>
    public ServerFixture(int deviceRequestsPerMinute, string? database, params ECDsa[] vendorKeys) : this(deviceRequestsPerMinute, database, null, vendorKeys)
    {
    }

    /// <summary>artifactBaseUrl: given the data directory, starts whatever serves its artifacts and returns that base URL.</summary>
    public ServerFixture(int deviceRequestsPerMinute, string? database, Func<string, string>? artifactBaseUrl, params ECDsa[] vendorKeys)
        : this(o => o, deviceRequestsPerMinute, database, artifactBaseUrl, vendorKeys)
    {
    }

    /// <summary>With the options changed by tune (limits of the attack-run tests).</summary>
    public ServerFixture(Func<ServerOptions, ServerOptions> tune, int deviceRequestsPerMinute, string? database, Func<string, string>? artifactBaseUrl, params ECDsa[] vendorKeys)
        : this(tune, deviceRequestsPerMinute, database, artifactBaseUrl, null, vendorKeys)
    {
    }

    /// <summary>Over HTTPS only, with this certificate; the fixture's own clients trust ca alone (as a board does).</summary>
    public ServerFixture(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, System.Security.Cryptography.X509Certificates.X509Certificate2 ca, params ECDsa[] vendorKeys)
        : this(o => o with { Certificate = certificate }, 60, null, null, ca, vendorKeys)
    {
    }

    private ServerFixture(Func<ServerOptions, ServerOptions> tune, int deviceRequestsPerMinute, string? database, Func<string, string>? artifactBaseUrl,
        System.Security.Cryptography.X509Certificates.X509Certificate2? ca, ECDsa[] vendorKeys)
    {
        // Every board of a test fleet comes from 127.0.0.1: the per-source and nonce limits are lifted here,
        // and the tests of those limits set them (AttackRunTests).
        var options = tune(new ServerOptions
        {
            DataDirectory = Directory, AdminToken = AdminToken, VendorKeys = [.. vendorKeys], DeviceRequestsPerMinute = deviceRequestsPerMinute,
            SourceRequestsPerMinute = 1_000_000, NonceRequestsPerMinute = 1_000_000,
            Time = Time, Database = database, ArtifactBaseUrl = artifactBaseUrl?.Invoke(Directory),
        });
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(options.Certificate is null ? "http://127.0.0.1:0" : "https://127.0.0.1:0");
        _app = ServerApp.Build(builder, options, out _);
        App = _app;
        _app.StartAsync().GetAwaiter().GetResult();
        BaseUrl = _app.Urls.First();
        Admin = ca is null ? new HttpClient() : new HttpClient(SecureOta.Agent.Update.Host.Http.PinnedServerCa.Handler(ca));
        Admin.BaseAddress = new Uri(BaseUrl);
        Anonymous = ca is null ? new HttpClient() : new HttpClient(SecureOta.Agent.Update.Host.Http.PinnedServerCa.Handler(ca));
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        Anonymous.BaseAddress = new Uri(BaseUrl);
    }

    /// <summary>Registers a device with a rig's chip certificate and class (the admin action of provisioning); asserts 201.</summary>
    public async Task RegisterDevice(string id, AgentRig rig)
    {
        var certificate = Convert.ToBase64String(rig.ChipState.Objects[ChipState.OidDeviceCert].Data);
        using var r = await Admin.PostAsJsonAsync("/api/v1/admin/devices", new { id, classId = Convert.ToHexString(rig.ClassId), certificate });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
    }

    /// <summary>The real agent of a rig (host twin) as device "dev-1" of this server, over device's HTTP client, rebooting into boot.</summary>
    public SecureOta.Agent.Update.Flow.UpdateAgent Agent(AgentRig rig, HttpClient device, BootSim boot, string version) => new(
        new SecureOta.Agent.Update.Api.ServerClient(new SecureOta.Agent.Update.Host.Http.HttpClientJson(device), BaseUrl, "dev-1", rig.Driver, new SecureOta.Core.Crypto.Sha256()),
        rig.Engine(), new SecureOta.Agent.Update.Host.Http.HttpClientRange(device), new RecordingDelay(), new RebootIntoBootSim(boot), version);

    /// <summary>Uploads a data set (asserts 201) and returns its digest, the id the admin API uses.</summary>
    public async Task<string> Upload(byte[] dataSet)
    {
        using var r = await Admin.PostAsync("/api/v1/admin/datasets", new ByteArrayContent(dataSet));
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return Convert.ToHexString(SHA256.HashData(dataSet)).ToLowerInvariant();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Admin.Dispose();
        Anonymous.Dispose();
        System.IO.Directory.Delete(Directory, true);
    }
}

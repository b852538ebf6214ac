using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Routing;
using SecureOta.Agent.Tests;
using SecureOta.Agent.Update.Api;
using SecureOta.UpdateServer.Storage.Sqlite;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// Issue 17's findings against the update server (S1..S7), each as the attack run did it; every test
/// fails on the server before the fix (noted per test) and passes after.
/// </summary>
public sealed class AttackRunTests : ServerTest
{
    private static HttpClient FromSource(string address, string baseUrl)
    {
        // A client whose connections come from another loopback address: a second "host" on this machine.
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
                await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
    }

    private static int NonceRows(ServerFixture server)
    {
        using var db = SqliteDatabase.Open(Path.Combine(server.Directory, "update-server.db"));
        return Convert.ToInt32(db.Query("SELECT COUNT(*) FROM nonces")[0][0]);
    }

    [Fact]
    public async Task S1_AnUnauthenticatedBody_IsRefusedBeforeItIsRead_AndAdminBodiesAreBounded()
    {
        // before: bad JSON without a token got 400 (the body was parsed first)
        using var bad = await Server.Anonymous.PostAsync("/api/v1/admin/rollouts", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        var huge = "{\"digest\":\"" + new string('a', 200 * 1024) + "\"}";
        using var big = await Server.Admin.PostAsync("/api/v1/admin/rollouts", new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        using var unauthenticatedBig = await Server.Anonymous.PostAsync("/api/v1/admin/devices", new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticatedBig.StatusCode);
    }

    [Fact]
    public async Task S2_NonceRequestsForAVictimFromElsewhere_DoNotLockTheVictimOut()
    {
        await Server.DisposeAsync();
        Server = new ServerFixture(o => o with { SourceRequestsPerMinute = 20 }, 60, null, null, Rig.VendorKey);
        await Server.RegisterDevice("victim", Rig);
        using var attacker = FromSource("127.0.0.2", Server.BaseUrl);
        int refused = 0;
        for (int i = 0; i < 60; i++)
        {
            using var r = await attacker.PostAsync("/api/v1/devices/victim/nonce", new StringContent("{}"));
            if (r.StatusCode == HttpStatusCode.TooManyRequests) refused++;
        }
        Assert.True(refused >= 40, $"the attacker's source was limited only {refused} times");
        // before: the per-device limit was keyed on the path id, and the victim's signed check-in got 429
        var device = Device("victim");
        Assert.True(await Task.Run(() => device.CheckIn(0, "1.0.0", "idle", new UpdateOffer[1])), device.Error);
    }

    // Nonce requests through a "balancer" at 127.0.0.1 for a board at client; how many were refused with 429.
    private static async Task<int> RefusedOf(HttpClient http, string client, int requests)
    {
        int refused = 0;
        for (int i = 0; i < requests; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/devices/victim/nonce") { Content = new StringContent("{}") };
            request.Headers.Add("X-Forwarded-For", client);
            using var r = await http.SendAsync(request);
            if (r.StatusCode == HttpStatusCode.TooManyRequests) refused++;
        }
        return refused;
    }

    [Fact]
    public async Task BehindATrustedBalancer_ThePerSourceLimitCountsEachBoard_AndForwardedHeadersFromOthersAreIgnored()
    {
        await Server.DisposeAsync();
        Server = new ServerFixture(o => o with { SourceRequestsPerMinute = 5, TrustedProxies = [IPAddress.Loopback] }, 60, null, null, Rig.VendorKey);
        Assert.True(await RefusedOf(Server.Anonymous, "10.0.0.1", 10) >= 5, "the first board was not limited");
        Assert.Equal(0, await RefusedOf(Server.Anonymous, "10.0.0.2", 3)); // another board behind the same balancer
        // From a host that is not the balancer the header means nothing: 127.0.0.2 is one source whatever it claims.
        using var other = FromSource("127.0.0.2", Server.BaseUrl);
        Assert.True(await RefusedOf(other, "10.0.0.3", 5) + await RefusedOf(other, "10.0.0.4", 5) >= 5, "a forwarded header from an untrusted host was believed");
    }

    [Fact]
    public async Task S3_NonceStorage_IsBounded_AndUnknownIdsStoreNothing()
    {
        await Server.DisposeAsync();
        Server = new ServerFixture(o => o with { MaxOutstandingNonces = 3, SourceRequestsPerMinute = 100000 }, 100000, null, null, Rig.VendorKey);
        // before: 6,000 requests with rotating ids left about 5,000 rows
        for (int i = 0; i < 300; i++)
        {
            using var r = await Server.Anonymous.PostAsync($"/api/v1/devices/rotating-{i}/nonce", new StringContent("{}"));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(64, (await r.Content.ReadFromJsonAsync<NonceAnswer>())!.Nonce.Length);
        }
        Assert.Equal(0, NonceRows(Server));
        await Server.RegisterDevice("dev-1", Rig);
        for (int i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await Server.Anonymous.PostAsync("/api/v1/devices/dev-1/nonce", new StringContent("{}"))).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Server.Anonymous.PostAsync("/api/v1/devices/dev-1/nonce", new StringContent("{}"))).StatusCode);
        Assert.Equal(3, NonceRows(Server));
    }

    private sealed record NonceAnswer(string Nonce, int ExpiresIn);

    [Theory]
    [InlineData("{\"nonce\":\"\\ud800\",\"signature\":\"00\",\"sequence\":1}")]
    [InlineData("{\"nonce\":\"ab\",\"signature\":\"\\udfff\\ud800\",\"sequence\":1}")]
    public async Task S4_ACheckInWithALoneSurrogate_Is400_Not500(string body)
    {
        await Server.RegisterDevice("dev-1", Rig);
        using var r = await Server.Anonymous.PostAsync("/api/v1/devices/dev-1/checkin", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    [Fact]
    public async Task S4_ACheckInWithInvalidUtf8InAString_Is400()
    {
        await Server.RegisterDevice("dev-1", Rig);
        var bytes = Encoding.ASCII.GetBytes("{\"nonce\":\"a\u0001b\",\"signature\":\"00\",\"sequence\":1}");
        bytes[11] = 0xFF; // the \u0001 placeholder becomes a byte that is no UTF-8
        using var r = await Server.Anonymous.PostAsync("/api/v1/devices/dev-1/checkin", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    [Theory]
    [InlineData("dev\u0001x")]
    [InlineData("g\u00e9r\u00e4t")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("-lead")]
    [InlineData("a/b")]
    [InlineData("")]
    public async Task S5_IdsOutsideTheAlphabet_AreRefusedWith400(string id)
    {
        // before: non-ASCII ids answered 500 (Location header) although registered; "." and ".." were accepted
        var certificate = Convert.ToBase64String(Rig.ChipState.Objects[SecureOta.ChipEmulator.ChipState.OidDeviceCert].Data);
        using var r = await Server.Admin.PostAsJsonAsync("/api/v1/admin/devices", new { id, classId = Convert.ToHexString(Rig.ClassId), certificate });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("A-Z a-z 0-9", await r.Content.ReadAsStringAsync());
        var devices = await Server.Admin.GetStringAsync("/api/v1/admin/devices");
        Assert.Equal("[]", devices);
    }

    [Fact]
    public async Task S5_AnIdInTheAlphabet_IsRegistered() => await Server.RegisterDevice("Dev-1.a_b", Rig);

    [Fact]
    public async Task F1_AByteMalleableTwinOfAnAcceptedDataSet_IsRefused()
    {
        var dataSet = Rig.DataSet(AgentRig.Image(3000, 3), 7);
        var twin = SecureOta.Suit.Tests.RejectionTests.HighSTwin(dataSet);
        using var r = await Server.Admin.PostAsync("/api/v1/admin/datasets", new ByteArrayContent(twin));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
        Assert.Contains("canonical", await r.Content.ReadAsStringAsync());
        await Server.Upload(dataSet);
    }

    [Fact]
    public async Task S7_TheOpenApiDocuments_ListEveryApiRoute()
    {
        // before: /api/v1/admin/events was missing from admin.json
        var admin = System.Text.Json.JsonDocument.Parse(await Server.Anonymous.GetStringAsync("/openapi/admin.json")).RootElement.GetProperty("paths");
        var device = System.Text.Json.JsonDocument.Parse(await Server.Anonymous.GetStringAsync("/openapi/device.json")).RootElement.GetProperty("paths");
        var routes = ((IEndpointRouteBuilder)Server.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).Distinct().ToList();
        Assert.Contains("/api/v1/admin/events", routes);
        foreach (var route in routes.Where(r => r.StartsWith("/api/v1/")))
        {
            var path = System.Text.RegularExpressions.Regex.Replace(route, "\\{(\\w+):\\w+\\}", "{$1}");
            var document = route.StartsWith("/api/v1/admin/") ? admin : device;
            Assert.True(document.TryGetProperty(path, out _), $"{path} is missing from its OpenAPI document");
        }
    }
}

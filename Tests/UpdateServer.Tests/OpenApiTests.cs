using System.Text.Json;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>One OpenAPI document per API, each listing its own paths and only those.</summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task TheDeviceAndAdminDocuments_ListTheirPaths()
    {
        await using var server = new ServerFixture();
        var device = JsonDocument.Parse(await server.Anonymous.GetStringAsync("/openapi/device.json")).RootElement.GetProperty("paths");
        var admin = JsonDocument.Parse(await server.Anonymous.GetStringAsync("/openapi/admin.json")).RootElement.GetProperty("paths");
        string[] devicePaths = ["/api/v1/devices/{id}/nonce", "/api/v1/devices/{id}/checkin", "/api/v1/devices/{id}/status", "/artifacts/{digest}"];
        string[] adminPaths = ["/api/v1/admin/devices", "/api/v1/admin/datasets", "/api/v1/admin/rollouts", "/api/v1/admin/audit"];
        foreach (var p in devicePaths)
        {
            Assert.True(device.TryGetProperty(p, out _), p + " missing from device.json");
            Assert.False(admin.TryGetProperty(p, out _), p + " leaked into admin.json");
        }
        foreach (var p in adminPaths)
        {
            Assert.True(admin.TryGetProperty(p, out _), p + " missing from admin.json");
            Assert.False(device.TryGetProperty(p, out _), p + " leaked into device.json");
        }
    }
}

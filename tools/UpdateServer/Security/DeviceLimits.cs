using System.Net;
using System.Threading.RateLimiting;

namespace SecureOta.UpdateServer.Security;

/// <summary>
/// Rate limits keyed on what an unauthenticated caller cannot forge (issue 17, S2, S3): the device API is
/// limited per source address before anything else; a device's own limit applies only after its
/// signature (check-in) or session token (status) was verified, so nobody can spend a victim's budget
/// by naming its id; and nonce issuance has a global rate as well as a bound on outstanding nonces
/// (ServerStore.NewNonce).
/// </summary>
public sealed class DeviceLimits : IDisposable
{
    public const string SourcePolicy = "per-source";

    private readonly PartitionedRateLimiter<string> _perDevice;
    private readonly RateLimiter _nonces;

    public DeviceLimits(ServerOptions options)
    {
        _perDevice = PartitionedRateLimiter.Create<string, string>(id => RateLimitPartition.GetFixedWindowLimiter(id,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = options.DeviceRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        _nonces = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.NonceRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        });
    }

    /// <summary>The ASP.NET Core policy for the device API: one fixed window per source address.</summary>
    public static void AddSourcePolicy(Microsoft.AspNetCore.RateLimiting.RateLimiterOptions limiter, ServerOptions options)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.AddPolicy(SourcePolicy, context => RateLimitPartition.GetFixedWindowLimiter(
            (context.Connection.RemoteIpAddress ?? IPAddress.None).ToString(),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SourceRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    /// <summary>Spends one request of an authenticated device; false when it is over its limit.</summary>
    public bool DeviceRequest(string id)
    {
        using var lease = _perDevice.AttemptAcquire(id);
        return lease.IsAcquired;
    }

    /// <summary>Spends one nonce of the server-wide budget; false when it is used up this minute.</summary>
    public bool NonceRequest()
    {
        using var lease = _nonces.AttemptAcquire();
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _perDevice.Dispose();
        _nonces.Dispose();
    }
}

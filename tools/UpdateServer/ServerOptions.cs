using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecureOta.UpdateServer;

/// <summary>How the server was started (update-server --help).</summary>
public sealed record ServerOptions
{
    /// <summary>Directory for the SQLite file and the artifact store; created on first start.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>An Npgsql connection string: keep the state in PostgreSQL instead of SQLite in DataDirectory.</summary>
    public string? Database { get; init; }

    /// <summary>The admin bearer token; generated and printed once when not given.</summary>
    public string? AdminToken { get; init; }

    /// <summary>Vendor public keys (P-256) accepted for uploads.</summary>
    public List<ECDsa> VendorKeys { get; init; } = [];

    /// <summary>
    /// The server's TLS certificate with its private key (update-server --tls-cert/--tls-key, PEM): every
    /// https:// listen address serves it. Null: HTTP only (docs/update-server.md, "HTTPS").
    /// </summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>
    /// Load balancers whose X-Forwarded-For / X-Forwarded-Proto are believed (update-server --trusted-proxy):
    /// the per-source limit then counts the board behind the balancer, and an offer names the scheme the
    /// board used. Empty: the headers are ignored, whoever sends them.
    /// </summary>
    public List<System.Net.IPAddress> TrustedProxies { get; init; } = [];

    /// <summary>
    /// The update channel key (update-server --channel-key, a P-256 private key in PEM): signs the freshness
    /// statement of every check-in answer whose board sent a channel nonce (docs/device-api.md 3a). Its
    /// certificate is the boards' second trust anchor (0xE0E8). Null: no statements; boards that require
    /// them refuse every answer and report the channel blocked.
    /// </summary>
    public ECDsa? ChannelKey { get; init; }

    /// <summary>Log lines as JSON objects, one per line (update-server --log-format json), for a log collector.</summary>
    public bool JsonLogs { get; init; }

    /// <summary>Where devices download artifacts, e.g. a CDN or nginx; default: this server.</summary>
    public string? ArtifactBaseUrl { get; init; }

    /// <summary>The clock for nonce and token expiry (tests move it).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public TimeSpan NonceLifetime { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(30);
    public int PollSeconds { get; init; } = 300;

    /// <summary>Device API requests per authenticated device and minute; more get 429 (a device polls every few minutes).</summary>
    public int DeviceRequestsPerMinute { get; init; } = 60;

    /// <summary>Device API requests per source address and minute (devices behind one NAT share it).</summary>
    public int SourceRequestsPerMinute { get; init; } = 1200;

    /// <summary>Nonces issued per minute, server-wide.</summary>
    public int NonceRequestsPerMinute { get; init; } = 6000;

    /// <summary>Nonces that may be outstanding (issued, unexpired, unused) at once; more get 503.</summary>
    public int MaxOutstandingNonces { get; init; } = 20000;

    /// <summary>Largest body of an admin request other than an upload.</summary>
    public long AdminBodyBytes { get; init; } = 64 * 1024;

    /// <summary>Largest body of a device API request.</summary>
    public long DeviceBodyBytes { get; init; } = 4096;

    /// <summary>Largest upload accepted (a data set is an envelope header and one image).</summary>
    public long MaxUploadBytes { get; init; } = 16 * 1024 * 1024;
}

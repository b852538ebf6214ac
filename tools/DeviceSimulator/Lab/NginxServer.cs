using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SecureOta.DeviceSimulator.Lab;

/// <summary>
/// Debian's nginx serving an update server's artifact directory as a plain static server (what a CDN
/// or a site's web server would do): GET /artifacts/&lt;sha256&gt; from DIR/artifacts/&lt;sha256&gt;.suit,
/// with nginx's own ETag, Range and If-Range handling. Started on a free loopback port with its
/// configuration, logs and pid in a temporary directory; stopped on Dispose. Used by the tests
/// (devices downloading from it) and by make bench (the reference for the server's throughput).
/// </summary>
public sealed class NginxServer : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nginx-").FullName;
    private readonly Process _process;

    private readonly string _scheme = "http";

    public int Port { get; }

    /// <summary>The master process's id (its workers are its children).</summary>
    public int ProcessId => _process.Id;
    public string BaseUrl => $"{_scheme}://127.0.0.1:{Port}";
    public string AccessLog => Path.Combine(_dir, "access.log");

    public NginxServer(string artifactDirectory) : this(port => StaticBlock(port, artifactDirectory, ""))
    {
    }

    /// <summary>
    /// The same static server over HTTPS with a certificate and key from PEM files, TLS 1.2 and 1.3 as
    /// update-server offers them (ServerApp: what the boards' mbedTLS negotiates), so the two are compared
    /// doing the same work per byte (nginx cannot sendfile through TLS without kernel TLS, which Debian's
    /// build does not enable by default).
    /// </summary>
    public NginxServer(string artifactDirectory, string certificatePem, string keyPem) : this(port => StaticBlock(port, artifactDirectory, $$"""
                    ssl_certificate {{Path.GetFullPath(certificatePem)}};
                    ssl_certificate_key {{Path.GetFullPath(keyPem)}};
                    ssl_protocols TLSv1.2 TLSv1.3;
        """))
    {
        _scheme = "https";
    }

    private static string StaticBlock(int port, string artifactDirectory, string tls) => $$"""
                server {
                    listen 127.0.0.1:{{port}}{{(tls.Length > 0 ? " ssl" : "")}};
        {{tls}}
                    location ~ "^/artifacts/([0-9a-f]{64})$" {
                        alias {{Path.GetFullPath(artifactDirectory)}}/$1.suit;
                    }
                    location / { return 404; }
                }
        """;

    /// <summary>
    /// nginx as the load balancer in front of update-server replicas (docs/update-server.md, "Replicas"):
    /// round robin, a replica that refuses connections or times out is skipped for 10 s and the request goes
    /// to the next (proxy_next_upstream; a POST already sent is not repeated), server-sent events unbuffered.
    /// </summary>
    public static NginxServer LoadBalancer(IEnumerable<string> replicaUrls) => new(port => $$"""
                upstream update_servers {
                    {{string.Join("\n            ", replicaUrls.Select(u => $"server {new Uri(u).Authority} max_fails=1 fail_timeout=10s;"))}}
                    keepalive 32;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    client_max_body_size 16m;
                    location / {
                        proxy_pass http://update_servers;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $remote_addr;
                        proxy_next_upstream error timeout http_502 http_503;
                        proxy_connect_timeout 2s;
                        proxy_read_timeout 60s;
                        proxy_buffering off;
                    }
                }
        """);

    private NginxServer(Func<int, string> serverBlocks)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed: apt-get install nginx-light (the Makefile does)");
        Port = LoopbackPort.Free();
        // As root nginx's workers would switch to nobody, who cannot read a private temporary directory.
        var user = Environment.UserName == "root" ? "user root;" : "";
        File.WriteAllText(Path.Combine(_dir, "nginx.conf"), $$"""
            {{user}}
            daemon off;
            worker_processes 2;
            pid {{_dir}}/nginx.pid;
            error_log {{_dir}}/error.log warn;
            events { worker_connections 4096; }
            http {
                # nginx's "combined" format and, last, whether TLS resumed a session ("r") or made a full handshake (".").
                log_format combined_tls '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" tls_reused=$ssl_session_reused';
                access_log {{_dir}}/access.log combined_tls;
                client_body_temp_path {{_dir}}/body;
                proxy_temp_path {{_dir}}/proxy;
                fastcgi_temp_path {{_dir}}/fastcgi;
                uwsgi_temp_path {{_dir}}/uwsgi;
                scgi_temp_path {{_dir}}/scgi;
                default_type application/octet-stream;
                sendfile on;
                keepalive_requests 10000;
            {{serverBlocks(Port)}}
            }
            """);
        _process = Process.Start(new ProcessStartInfo(nginx, ["-c", Path.Combine(_dir, "nginx.conf"), "-p", _dir]) { RedirectStandardError = true, RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("nginx did not start");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!Listening())
        {
            if (_process.HasExited) throw new InvalidOperationException($"nginx exited ({_process.ExitCode}): {_process.StandardError.ReadToEnd()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("nginx did not listen within 15 s");
            Thread.Sleep(50);
        }
    }

    private bool Listening()
    {
        try
        {
            using var c = new TcpClient();
            c.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_dir, true);
        }
    }
}

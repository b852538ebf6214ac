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

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}";
    public string AccessLog => Path.Combine(_dir, "access.log");

    public NginxServer(string artifactDirectory)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed: apt-get install nginx-light (the Makefile does)");
        Port = LoopbackPort.Free();
        var root = Path.GetFullPath(artifactDirectory);
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
                access_log {{_dir}}/access.log combined;
                client_body_temp_path {{_dir}}/body;
                proxy_temp_path {{_dir}}/proxy;
                fastcgi_temp_path {{_dir}}/fastcgi;
                uwsgi_temp_path {{_dir}}/uwsgi;
                scgi_temp_path {{_dir}}/scgi;
                default_type application/octet-stream;
                sendfile on;
                keepalive_requests 10000;
                server {
                    listen 127.0.0.1:{{Port}};
                    location ~ "^/artifacts/([0-9a-f]{64})$" {
                        alias {{root}}/$1.suit;
                    }
                    location / { return 404; }
                }
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

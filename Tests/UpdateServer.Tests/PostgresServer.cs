using System.Diagnostics;
using Npgsql;
using Xunit;

namespace SecureOta.UpdateServer.Tests;

/// <summary>
/// A private PostgreSQL server for the test run: Debian's PostgreSQL binaries (package postgresql,
/// installed by the Makefile), a fresh cluster in a temporary directory on a free loopback port,
/// started once for every test that needs it and stopped at the end. Run as the postgres user when
/// the tests run as root (initdb refuses root).
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _dir;
    private readonly string _bin;
    private readonly bool _asPostgres = Environment.UserName == "root";

    public int Port { get; }

    public PostgresServer()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault() ?? ""
            : "";
        Assert.True(_bin.Length > 0, "PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): run 'make test' (it installs the postgresql package) or apt-get install postgresql");
        _dir = Path.Combine(Path.GetTempPath(), "ota-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_dir);
        if (_asPostgres) Run("chown", "postgres:postgres", _dir);
        Port = SecureOta.DeviceSimulator.Lab.LoopbackPort.Free();
        Pg("initdb", "-D", _dir + "/data", "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync");
        Pg("pg_ctl", "-D", _dir + "/data", "-l", _dir + "/server.log", "-w", "-t", "60", "-o",
            $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start");
    }

    /// <summary>A new, empty database on the server; returns its Npgsql connection string.</summary>
    public string NewDatabase()
    {
        var name = "ota_" + Guid.NewGuid().ToString("N")[..12];
        using (var admin = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false"))
        {
            admin.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            create.ExecuteNonQuery();
        }
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Maximum Pool Size=50";
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        try { Pg("pg_ctl", "-D", _dir + "/data", "-m", "immediate", "-w", "-t", "30", "stop"); }
        finally { Directory.Delete(_dir, true); }
    }

    private void Pg(string tool, params string[] args)
    {
        var path = Path.Combine(_bin, tool);
        if (_asPostgres) Run("runuser", ["-u", "postgres", "--", path, .. args]);
        else Run(path, args);
    }

    private void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException($"{file} did not finish within 120 s"); }
        if (p.ExitCode != 0)
        {
            var log = File.Exists(_dir + "/server.log") ? File.ReadAllText(_dir + "/server.log") : "";
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {output}{err.Result}{log}");
        }
    }

}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}

using System.CommandLine;
using System.Text.Json;
using SecureOta.DeviceSimulator.Device;
using SecureOta.DeviceSimulator.Fleet;
using SecureOta.DeviceSimulator.Model;
using SecureOta.UpdateTool;
using SecureOta.UpdateTool.Cli;
using SecureOta.UpdateTool.Keys;

// device-sim: a fleet of simulated boards (docs/device-simulator.md).
//   device-sim provision --dir D --count N --vendor-pub PEM [--part trust-m|trust-x|mixed] (--vendor-domain|--vendor-id) (--class-name|--class-id)
//                        keys in a token: --pkcs11-module M --token-label L [--pin-file F] --ca-key-label K --ca-cert PEM [--master-label L] [--class-key-label L]
//                        keys in files:   [--master-secret FILE] [--class-key PEM] (a throw-away device CA)
//                        [--version 1.0.0] [--image-size BYTES] [--server URL [--server-ca PEM] --admin-token TOKEN]
//   device-sim firmware --version V --size BYTES --out FILE
//   device-sim run --dir D --server URL [--server-ca PEM] [--faults none|recoverable|all|KIND=P,...] [--report FILE] [--timeout S]
var root = new RootCommand("Simulated ESP32 boards running the real agent, chip emulator and C boot stage against an update server.");

var dir = new Option<string>("--dir") { Description = "Folder of the simulated devices (one sub-folder each)", Required = true };
var server = new Option<string>("--server") { Description = "Update server base URL, e.g. http://127.0.0.1:5080" };

var count = new Option<int>("--count") { Description = "Devices to provision", DefaultValueFactory = _ => 20 };
var prefix = new Option<string>("--id-prefix") { Description = "Device ids are PREFIX001, PREFIX002, ...", DefaultValueFactory = _ => "dev-" };
var vendorPub = new Option<string>("--vendor-pub") { Description = "Vendor public key (PEM): the chip's trust anchor", Required = true };
var master = new Option<string>("--master-secret") { Description = "Update master secret file (update-tool keygen --master-secret): for Trust M chips" };
var part = new Option<string>("--part") { Description = "Security chip: trust-m, trust-x, or mixed (odd ids Trust M, even ids Trust X)", DefaultValueFactory = _ => "trust-m" };
part.AcceptOnlyFromAmong("trust-m", "trust-x", "mixed");
var classKey = new Option<string>("--class-key") { Description = "The class's key-agreement private key (PEM, P-256): the chip maker puts it into E0F1 of Trust X chips" };
var pkcs11 = new TokenOptions();
var caKeyLabel = new Option<string>("--ca-key-label") { Description = "The device CA's key in the token (the station issues device certificates with it)" };
var caCert = new Option<string>("--ca-cert") { Description = "The device CA's certificate (update-tool token ca)" };
var masterLabel = new Option<string>("--master-label") { Description = "The master secret in the token, made --for-provisioning (Trust M chips)" };
var classKeyLabel = new Option<string>("--class-key-label") { Description = "The class key-agreement key in the token, made --for-personalisation (the simulated chip maker puts it into Trust X chips)" };
var vendorId = new Option<string>("--vendor-id") { Description = "Vendor UUID" };
var vendorDomain = new Option<string>("--vendor-domain") { Description = "Vendor domain; vendor-id = UUID5(DNS, domain)" };
var classId = new Option<string>("--class-id") { Description = "Device class UUID" };
var className = new Option<string>("--class-name") { Description = "Device class name; class-id = UUID5(vendor-id, name)" };
var version = new Option<string>("--version") { Description = "Factory firmware version", DefaultValueFactory = _ => "1.0.0" };
var imageSize = new Option<int>("--image-size") { Description = "Factory image size in bytes", DefaultValueFactory = _ => 128 * 1024 };
var layout = new Option<string>("--layout") { Description = "Board flash layout: swap (partitions_4mb.csv), ab (partitions_4mb_ab.csv) or ab8 (partitions_8mb_ab.csv); on ab boards the new image is written into the second slot and activated there (docs/boot-protocol.md \"A/B slots\")", DefaultValueFactory = _ => Provisioner.SwapLayout };
layout.AcceptOnlyFromAmong(Provisioner.SwapLayout, Provisioner.AbLayout, Provisioner.Ab8Layout);
var serverCa = new Option<string>("--server-ca") { Description = "The update server's CA certificate (PEM): talk HTTPS to it, accepting only certificates from this CA" };
var channelPub = new Option<string>("--channel-pub") { Description = "The update server's channel public key (PEM, the key of update-server --channel-key): the factory writes its certificate into E0E8 and the boards then require freshness statements" };
var adminToken = new Option<string>("--admin-token") { Description = "Admin token of the server (with --server: register the devices there)" };
var provision = new Command("provision", "Provision simulated boards (chip, flash with factory firmware) and optionally register them with a server");
foreach (var o in new Option[] { dir, count, prefix, vendorPub, master, part, classKey, caKeyLabel, caCert, masterLabel, classKeyLabel, vendorId, vendorDomain, classId, className, version, imageSize, layout, server, serverCa, adminToken, channelPub })
    provision.Options.Add(o);
pkcs11.AddTo(provision);
provision.SetAction(parse => Cli.Run(() =>
{
    var (vendor, _) = Identity.Vendor(parse.GetValue(vendorId), parse.GetValue(vendorDomain));
    var (cls, _) = Identity.Class(vendor, parse.GetValue(classId), parse.GetValue(className));
    byte[]? classKeyPkcs8 = ClassKeyPkcs8(parse.GetValue(classKey));
    using var hsm = pkcs11.Given(parse) ? pkcs11.Open(parse) : null;
    SecureOta.FactoryStation.IStationKeys? keys = null;
    System.Security.Cryptography.X509Certificates.X509Certificate2? ca = null;
    if (hsm is not null)
    {
        var caLabel = parse.GetValue(caKeyLabel) ?? throw new UserError("with a token, --ca-key-label LABEL names the device CA's key");
        var caPath = parse.GetValue(caCert) ?? throw new UserError("with a token, --ca-cert PEM is the device CA's certificate (update-tool token ca)");
        ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(caPath);
        keys = new SecureOta.FactoryStation.TokenStationKeys(hsm, caLabel, ca, parse.GetValue(masterLabel));
        if (parse.GetValue(classKeyLabel) is { } label)
        {
            try { classKeyPkcs8 = hsm.ExportPrivateKeyForPersonalisation(label); }
            catch (SecureOta.Pkcs11.TokenException e) { throw new UserError(e.Message); }
        }
    }
    var request = new Provisioner.Request(parse.GetValue(dir)!, parse.GetValue(count), parse.GetValue(prefix)!,
        File.ReadAllText(parse.GetValue(vendorPub)!), parse.GetValue(master) is { } m ? MasterSecretFile.Read(m) : null, vendor, cls, parse.GetValue(version)!, parse.GetValue(imageSize),
        parse.GetValue(part)!, classKeyPkcs8, keys, ChannelPublicKey(parse.GetValue(channelPub)), parse.GetValue(layout)!);
    var devices = new Provisioner(Cli.Bootsim()).Provision(request);
    Console.WriteLine($"device-sim: provisioned {devices.Count} devices in {request.Dir} ({request.Part}, firmware {request.Version}, class {Convert.ToHexString(cls).ToLowerInvariant()})");
    var url = parse.GetValue(server);
    if (url is not null)
    {
        var bearer = parse.GetValue(adminToken) ?? throw new UserError("--server needs --admin-token to register the devices");
        var pinnedCa = parse.GetValue(serverCa) is { } caPath ? SecureOta.Agent.Update.Host.Http.PinnedServerCa.Load(caPath) : null;
        using var admin = new HttpClient(SecureOta.Agent.Update.Host.Http.PinnedServerCa.Handler(pinnedCa)) { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        Provisioner.Register(admin, request.Dir, devices).GetAwaiter().GetResult();
        Console.WriteLine($"device-sim: registered {devices.Count} devices with {url}");
    }
    return 0;
}));
root.Subcommands.Add(provision);

var fwVersion = new Option<string>("--version") { Description = "Version the image announces", Required = true };
var fwSize = new Option<int>("--size") { Description = "Image size in bytes", DefaultValueFactory = _ => 256 * 1024 };
var fwOut = new Option<string>("--out") { Description = "Image file to write", Required = true };
var firmware = new Command("firmware", "Write a simulated application image (the version in its header is what a board reports after installing it)");
foreach (var o in new Option[] { fwVersion, fwSize, fwOut }) firmware.Options.Add(o);
firmware.SetAction(parse => Cli.Run(() =>
{
    int size = parse.GetValue(fwSize);
    if (size is < 64 or > BoardFlash.DeploySize) throw new UserError($"--size {size}: 64..{BoardFlash.DeploySize} bytes (the deploy partition)");
    File.WriteAllBytes(parse.GetValue(fwOut)!, SimFirmware.Build(parse.GetValue(fwVersion)!, size, size));
    Console.WriteLine($"device-sim: wrote {parse.GetValue(fwOut)} ({size} bytes, version {parse.GetValue(fwVersion)})");
    return 0;
}));
root.Subcommands.Add(firmware);

var faults = new Option<string>("--faults") { Description = "none, recoverable, all, or KIND=PROBABILITY,... (" + string.Join(", ", FaultPlan.Kinds) + ")", DefaultValueFactory = _ => "none" };
var report = new Option<string>("--report") { Description = "Write the JSON report here" };
var reportHtml = new Option<string>("--report-html") { Description = "Write the report as one self-contained HTML page here (charts in SVG, nothing fetched)" };
var timeout = new Option<int>("--timeout") { Description = "Seconds before devices still waiting are reported pending", DefaultValueFactory = _ => 300 };
var poll = new Option<int>("--poll-ms") { Description = "Host milliseconds between a device's polls", DefaultValueFactory = _ => 250 };
var seed = new Option<int>("--seed") { Description = "Seed for fault placement (same seed, same plan)", DefaultValueFactory = _ => 1 };
var attempts = new Option<int>("--max-failed-attempts") { Description = "Failed attempts after which a device counts as failed", DefaultValueFactory = _ => 3 };
var parallel = new Option<int>("--parallel") { Description = "Boards running at the same time (the others wait their turn)", DefaultValueFactory = _ => 20 };
var bootStage = new Option<string>("--boot-stage") { Description = "library: the C boot stage in process (libbootsim.so, default); process: one bootsim process per boot", DefaultValueFactory = _ => "library" };
bootStage.AcceptOnlyFromAmong("library", "process");
var devicesInMemory = new Option<int>("--devices") { Description = "Provision this many boards in memory for this run alone (no folder per board; DIR keeps the vendor key and provisioning.log) and register them with the server (--admin-token); with --vendor-pub and the provisioning keys" };
var runVendorPub = new Option<string>("--vendor-pub") { Description = "With --devices: the vendor public key (PEM), the chips' trust anchor" };
var localConsent = new Option<bool>("--local-consent") { Description = "The boards' own setting: every update waits for the local consent trigger (issue 18)" };
var consentAfter = new Option<int>("--consent-after") { Description = "Modeled seconds after a board asks for consent until its operator gives it; -1: never", DefaultValueFactory = _ => 600 };
var cutWhileWaiting = new Option<bool>("--power-cut-while-waiting") { Description = "Cut each board's power once while it waits for consent or its window" };
var stopWhenWaiting = new Option<bool>("--stop-when-waiting") { Description = "End a board's run when it reports that it waits (outcome waiting-consent or waiting-window)" };
var freshnessLimit = new Option<int>("--freshness-limit") { Description = "Seconds without a valid freshness statement, or with an announced release not offered, before a board reports its update channel blocked", DefaultValueFactory = _ => 7 * 24 * 3600 };
var utcOffset = new Option<int>("--utc-offset") { Description = "The boards' time zone for maintenance windows, minutes east of UTC", DefaultValueFactory = _ => 0 };
var attack = new Option<string>("--attack") { Description = "A network attacker between the boards and the server who withholds updates: withhold, strip or replay" };
attack.AcceptOnlyFromAmong(ChannelAttacker.Modes);
var run = new Command("run", "Run the fleet against a server until every device is updated, gave up, or the time-out");
foreach (var o in new Option[] { dir, server, serverCa, faults, report, reportHtml, timeout, poll, seed, attempts, parallel, bootStage,
             devicesInMemory, runVendorPub, master, part, classKey, vendorId, vendorDomain, classId, className, version, imageSize, layout, prefix, adminToken,
             localConsent, consentAfter, cutWhileWaiting, stopWhenWaiting, freshnessLimit, utcOffset, attack, channelPub })
    run.Options.Add(o);
run.SetAction(parse => Cli.Run(() =>
{
    var url = parse.GetValue(server) ?? throw new UserError("run needs --server URL");
    if (parse.GetValue(reportHtml) is { } htmlOut && Path.GetDirectoryName(Path.GetFullPath(htmlOut)) is { } htmlDir && !Directory.Exists(htmlDir))
        throw new UserError($"--report-html {htmlOut}: the folder {htmlDir} does not exist");
    var plan = FaultPlan.Parse(parse.GetValue(faults)!);
    var options = new FleetOptions
    {
        Timeout = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))),
        PollDelay = TimeSpan.FromMilliseconds(Math.Clamp(parse.GetValue(poll), 0, 60_000)),
        Seed = parse.GetValue(seed),
        MaxFailedAttempts = Math.Max(1, parse.GetValue(attempts)),
        Parallelism = Math.Clamp(parse.GetValue(parallel), 1, 1000),
        BootStageAsProcess = parse.GetValue(bootStage) == "process",
        ServerCa = parse.GetValue(serverCa) is { } caPath ? SecureOta.Agent.Update.Host.Http.PinnedServerCa.Load(caPath) : null,
        LocalConsent = parse.GetValue(localConsent),
        ConsentAfterSeconds = parse.GetValue(consentAfter),
        PowerCutWhileWaiting = parse.GetValue(cutWhileWaiting),
        StopWhenWaiting = parse.GetValue(stopWhenWaiting),
        FreshnessLimitSeconds = parse.GetValue(freshnessLimit) is var limit and >= 60 and <= 365 * 24 * 3600 ? limit : throw new UserError($"--freshness-limit {parse.GetValue(freshnessLimit)}: 60 s to a year"),
        UtcOffsetMinutes = parse.GetValue(utcOffset) is var offset and >= -720 and <= 840 ? offset : throw new UserError($"--utc-offset {parse.GetValue(utcOffset)}: -720..840 minutes"),
        Attack = parse.GetValue(attack),
    };
    var runner = new FleetRunner(Cli.Bootsim(), new Esp32Model());
    FleetReport result;
    if (parse.GetValue(devicesInMemory) is > 0 and var n)
    {
        // A fleet in memory (docs/device-simulator.md, "Scale"): provisioned with keys in files, registered, run.
        if (options.BootStageAsProcess) throw new UserError("--devices boards boot in process: drop --boot-stage process");
        var pubPath = parse.GetValue(runVendorPub) ?? throw new UserError("--devices needs --vendor-pub PEM (the chips' trust anchor)");
        var bearer = parse.GetValue(adminToken) ?? throw new UserError("--devices needs --admin-token TOKEN: the boards are registered with the server first");
        if (!File.Exists(pubPath)) throw new UserError($"--vendor-pub {pubPath}: no such file");
        var (vendor, _) = Identity.Vendor(parse.GetValue(vendorId), parse.GetValue(vendorDomain));
        var (cls, _) = Identity.Class(vendor, parse.GetValue(classId), parse.GetValue(className));
        var classKeyPkcs8 = ClassKeyPkcs8(parse.GetValue(classKey));
        var request = new Provisioner.Request(parse.GetValue(dir)!, n, parse.GetValue(prefix)!, File.ReadAllText(pubPath),
            parse.GetValue(master) is { } m ? MasterSecretFile.Read(m) : null, vendor, cls, parse.GetValue(version)!, parse.GetValue(imageSize), parse.GetValue(part)!, classKeyPkcs8,
            ChannelPublicKeyPem: ChannelPublicKey(parse.GetValue(channelPub)), Layout: parse.GetValue(layout)!);
        var boards = new Provisioner(Cli.Bootsim()).ProvisionInMemory(request);
        using (var admin = new HttpClient(SecureOta.Agent.Update.Host.Http.PinnedServerCa.Handler(options.ServerCa)) { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) })
        {
            admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
            Provisioner.Register(admin, boards).GetAwaiter().GetResult();
        }
        Console.WriteLine($"device-sim: {boards.Count} boards in memory ({request.Part}, firmware {request.Version}) registered with {url}, faults: {plan}");
        result = runner.Run(boards, url.TrimEnd('/'), options, plan, Console.Out, CancellationToken.None);
    }
    else
    {
        Console.WriteLine($"device-sim: {FleetRunner.DeviceDirs(parse.GetValue(dir)!).Count} devices against {url}, faults: {plan}");
        result = runner.Run(parse.GetValue(dir)!, url.TrimEnd('/'), options, plan, Console.Out, CancellationToken.None);
    }
    if (parse.GetValue(report) is { } path)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(result, FleetRunner.ReportJson));
        Console.WriteLine($"device-sim: report written to {path}");
    }
    if (parse.GetValue(reportHtml) is { } htmlPath)
    {
        File.WriteAllText(htmlPath, SecureOta.DeviceSimulator.Report.HtmlReport.Render(result, new Esp32Model()));
        Console.WriteLine($"device-sim: HTML report written to {htmlPath}");
    }
    Console.WriteLine($"device-sim: modeled ESP32 busy time per update: median {result.ModeledBusyMedian:F1} s, p90 {result.ModeledBusyP90:F1} s, p99 {result.ModeledBusyP99:F1} s, slowest {result.ModeledBusyMax:F1} s; " +
        $"physical limit median {result.ModeledLimitMedian:F1} s, busy/limit median {result.LimitRatioMedian:F2} (faults included; layouts: {string.Join(", ", result.Layouts.OrderBy(l => l.Key).Select(l => $"{l.Key} {l.Value}"))}); " +
        $"host wall time {result.HostWallSeconds:F1} s ({result.BoardsPerSecond} boards/s, peak {result.PeakMemoryMiB} MiB, boot stage {result.BootStage}); {result.FaultsInjected} faults injected");
    Console.WriteLine(result.Summary());
    return result.Updated == result.Devices ? 0 : 4;
}));
root.Subcommands.Add(run);
return root.Parse(args).Invoke();

// --channel-pub PEM: the update channel's public key (P-256), or null.
static string? ChannelPublicKey(string? path)
{
    if (path is null) return null;
    if (!File.Exists(path)) throw new UserError($"--channel-pub {path}: no such file");
    var pem = File.ReadAllText(path);
    using var key = System.Security.Cryptography.ECDsa.Create();
    try { key.ImportFromPem(pem); }
    catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException) { throw new UserError($"--channel-pub {path}: not an EC public key in PEM"); }
    if (key.KeySize != 256) throw new UserError($"--channel-pub {path}: not a P-256 key (the chip verifies ES256)");
    return pem;
}

// --class-key PEM: the class's key-agreement key as the chip maker personalises it into Trust X chips (PKCS#8), or null.
static byte[]? ClassKeyPkcs8(string? path)
{
    if (path is null) return null;
    using var k = KeyFiles.ReadPrivateKey(path);
    using var agreement = System.Security.Cryptography.ECDiffieHellman.Create(k.ExportParameters(true));
    return agreement.ExportPkcs8PrivateKey();
}

/// <summary>One line per user mistake ("device-sim: error: ..."), never a stack trace.</summary>
internal static class Cli
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is UserError or ArgumentException or IOException or InvalidDataException or HttpRequestException or UnauthorizedAccessException or FormatException or JsonException)
        {
            Console.Error.WriteLine("device-sim: error: " + e.Message);
            return 2;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"device-sim: internal error ({e.GetType().Name}): {e.Message}");
            return 70;
        }
    }

    public static string Bootsim() => BootStage.Locate() ?? throw new UserError("bootsim not found next to device-sim or in out/bin: run 'make build'");
}

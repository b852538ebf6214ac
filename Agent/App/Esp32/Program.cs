using System;
using System.Device.I2c;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Networking;
using SecureOta.Agent.Esp32;
using SecureOta.Agent.Update.Api;
using SecureOta.Agent.Update.Esp32;
using SecureOta.Agent.Update.Flow;
using SecureOta.Core.Crypto;
using SecureOta.Core.Suit;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Esp32;

namespace SecureOta.Agent
{
    /// <summary>
    /// The update agent on the board: joins Wi-Fi, opens the security chip on I2C, then runs the
    /// agent cycle (UpdateAgent) forever at the interval the server asks for. Needs the custom nanoCLR
    /// with the SecureOta.Native interop and the boot stage (docs/device-build.md); on stock firmware
    /// the partitions are missing and it says so instead of starting.
    /// </summary>
    public static class Program
    {
        public static void Main()
        {
            Log("secure-ota agent " + AgentSettings.Version);
            if (!JoinWifi())
            {
                Log("Wi-Fi: not connected within " + (AgentSettings.WifiTimeoutMilliseconds / 1000).ToString() + " s; deploy credentials with nanoff --networkdeployment or set AgentSettings.WifiSsid");
            }

            Configuration.SetPinFunction(AgentSettings.I2cDataPin, DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(AgentSettings.I2cClockPin, DeviceFunction.I2C1_CLOCK);
            SecurityChip chip = new SecurityChip(new I2cDeviceTransport(AgentSettings.I2cBusId, AgentSettings.ChipAddress, I2cBusSpeed.FastMode), new Esp32ChipClock());
            byte[] bindingSecret = Hex.Decode(AgentSettings.PlatformBindingSecretHex, 64);
            if (bindingSecret != null)
            {
                chip.EnableShieldedConnection(bindingSecret, new Sha256(), new ManagedAesFactory());
            }

            // A warm reset, not just Open: the ESP32 may have rebooted while the chip kept power, and
            // the chip's data link still counts frames of the previous session.
            ChipResult opened = chip.Reset();
            if (opened.IsOk && chip.Part == SecurityChip.PartTrustM && bindingSecret == null && AgentSettings.RequireShieldedConnection)
            {
                Log("no platform binding secret configured (AgentSettings.PlatformBindingSecretHex): refusing to update a Trust M over an unprotected I2C bus");
                Thread.Sleep(Timeout.Infinite);
            }

            if (opened.IsOk)
            {
                // A Trust X has no shielded connection: what crosses its bus is readable and alterable by
                // someone with a probe on it; the boot stage's own signature and digest check still holds.
                Log("security chip: " + chip.PartName + (chip.Part == SecurityChip.PartTrustX ? " (no shielded connection on this part)" : ""));
            }
            PartitionFlashArea staging = PartitionFlashArea.Open(AgentSettings.StagingLabel);
            PartitionFlashArea bootState = PartitionFlashArea.Open(AgentSettings.BootStateLabel);
            if (!opened.IsOk || staging == null || bootState == null)
            {
                Log(!opened.IsOk ? "security chip: " + opened.Message : "this firmware has no staging/bootstate partitions: flash the secure-ota nanoCLR build");
                Thread.Sleep(Timeout.Infinite);
            }

            string deviceId = AgentSettings.DeviceId;
            if (deviceId == null)
            {
                ChipResult uid = chip.Read(SecurityChip.OidUid, 0, 27);
                deviceId = uid.IsOk ? Hex.Encode(uid.Data) : "unknown";
            }

            DevicePolicy policy = new DevicePolicy();
            policy.VendorId = Hex.Decode(AgentSettings.VendorIdHex, 16);
            policy.ClassId = Hex.Decode(AgentSettings.ClassIdHex, 16);
            policy.Components = new string[] { "deploy", "nanoclr" };
            policy.MaxImageSizes = new long[] { AgentSettings.DeployPartitionSize, AgentSettings.NanoclrPartitionSize };
            policy.FirmwareVersion = FirmwareVersion();

            BoardTls tls = ServerTls();
            // SHA-256 and AES-CTR on the ESP32's accelerators through the interop (issue 14); the managed
            // Sha256 stays for the small hashes of the check-in, where a native call buys nothing.
            UpdateEngine engine = new UpdateEngine(chip, staging, bootState, policy, new InteropSha256(), new InteropAesFactory());
            ServerClient server = new ServerClient(new HttpWebRequestJson(tls), AgentSettings.ServerUrl, deviceId, chip, new Sha256());
            UpdateAgent agent = new UpdateAgent(server, engine, new HttpWebRequestRange(tls), new ThreadDelay(), new PowerReboot(), AgentSettings.Version);
            agent.LocalConsentRequired = AgentSettings.InstallConsentRequired;
            agent.UtcOffsetMinutes = AgentSettings.UtcOffsetMinutes;
            agent.Control = LocalControl();
            if (AgentSettings.RequireChannelFreshness)
            {
                agent.Watch = new ChannelWatch(new Esp32ChipClock(), AgentSettings.ChannelFreshnessLimitSeconds);
                server.Watch = agent.Watch;
            }

            Log("device " + deviceId + ", server " + AgentSettings.ServerUrl);
            while (true)
            {
                string line;
                try
                {
                    line = agent.RunOnce();
                }
                catch (Exception e)
                {
                    // A bug, not a user mistake: log it, keep the device alive, retry later.
                    line = "agent cycle failed: " + e.Message;
                }

                Log(line);
                Thread.Sleep(agent.PollSeconds * 1000);
            }
        }

        // Fail closed on a TLS setting that cannot work or would send the token in clear: an https server
        // without a CA (every request would be refused), or a CA configured for a plain-http server.
        // The running nanoCLR's version, which a data set's firmware dependency is compared with
        // (docs/data-set-format.md 1c): nanoFramework.Runtime.Native.SystemInfo.Version (NuGet
        // nanoFramework.Runtime.Native 1.7.11, SystemInfo.cs), the build version compiled into the firmware.
        // A part the build left undefined (-1 in System.Version) counts as 0.
        private static long[] FirmwareVersion()
        {
            Version v = nanoFramework.Runtime.Native.SystemInfo.Version;
            int[] parts = new int[] { v.Major, v.Minor, v.Build, v.Revision };
            long[] version = new long[4];
            for (int i = 0; i < 4; i++)
            {
                version[i] = parts[i] < 0 ? 0 : parts[i];
            }

            return version;
        }

        // The consent button and LED when the board has them; else consent comes from the application alone.
        private static ILocalControl LocalControl()
        {
            if (AgentSettings.ConsentButtonPin < 0)
            {
                return new ApplicationControl();
            }

            return new GpioConsentButton(new System.Device.Gpio.GpioController(), AgentSettings.ConsentButtonPin, AgentSettings.ConsentLedPin, AgentSettings.ConsentHoldMilliseconds);
        }

        private static BoardTls ServerTls()
        {
            bool https = BoardTls.IsHttps(AgentSettings.ServerUrl);
            if (https && AgentSettings.ServerCaPem == null)
            {
                Log("AgentSettings.ServerUrl is https but AgentSettings.ServerCaPem is not set: give the CA certificate of the update server (PEM)");
                Thread.Sleep(Timeout.Infinite);
            }

            if (!https && AgentSettings.ServerCaPem != null)
            {
                Log("AgentSettings.ServerCaPem is set but ServerUrl is plain http: use the server's https:// address");
                Thread.Sleep(Timeout.Infinite);
            }

            return new BoardTls(AgentSettings.ServerCaPem == null ? null : new X509Certificate(AgentSettings.ServerCaPem));
        }

        private static bool JoinWifi()
        {
            CancellationTokenSource timeout = new CancellationTokenSource(AgentSettings.WifiTimeoutMilliseconds);
            return AgentSettings.WifiSsid != null
                ? WifiNetworkHelper.ConnectDhcp(AgentSettings.WifiSsid, AgentSettings.WifiPassword, token: timeout.Token)
                : WifiNetworkHelper.Reconnect(token: timeout.Token);
        }

        private static void Log(string line)
        {
            Console.WriteLine(DateTime.UtcNow.ToString() + " " + line);
        }
    }
}

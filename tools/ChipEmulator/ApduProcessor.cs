using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecureOta.Core.Crypto;
using SecureOta.Core.Host.Crypto;

namespace SecureOta.ChipEmulator;

/// <summary>
/// Executes APDUs as the chip's application does (optiga-trust.md section 2): OpenApplication and
/// CloseApplication (Trust M), GetDataObject, SetDataObject (write, erase & write, metadata LcsO,
/// count), GetRandom; Trust X one-way authentication (ApduProcessor.OneWayAuth.cs); CalcHash with contexts (ApduProcessor.Hash.cs); VerifySign, CalcSign,
/// GenKeyPair, CalcSSec, DeriveKey with session contexts (ApduProcessor.Keys.cs). Only the part's
/// command table is executed (ChipPart); access conditions and life cycle enforced; refusals as Sta
/// 0xFF with the last-error code kept in 0xF1C2 (highest code wins, cleared when read, flushed by
/// Cmd | 0x80). Durations follow each part's datasheet (CommandDurations).
/// </summary>
public sealed partial class ApduProcessor(ChipState state)
{
    // Durations in microseconds: the cryptographic commands by part (CommandDurations: DS-X Table 15, DS-M
    // Table 18); these the datasheets do not give per part (docs/security-chip.md "Durations").
    public const int OpenApplicationUs = 500, GetDataUs = 30, SetDataPerByteUs = 150, RandomUs = 6000, CountUs = 15000;

    // The part's figures, the shielded ones while a protected record's command runs.
    private CommandDurations Durations => CommandProtected || ResponseProtected ? state.Part.ShieldedDurations : state.Part.Durations;
    private int VerifyUs => Durations.VerifyUs;
    private int SignUs => Durations.SignUs;
    private int KeyGenUs => Durations.KeyGenUs;
    private int EcdhUs => Durations.EcdhUs;

    public const int OidLastError = 0xF1C2;
    public const int OidSecurityEventCounter = 0xE0C5;

    /// <summary>Security monitor (SRM-M "Security Monitor"; DS-X 8): one protected operation per tmax is the
    /// permitted profile; SEC goes down by one per tmax; from 128 on, commands are delayed.</summary>
    public const int TmaxUs = 5_000_000, ThrottleFrom = 128, ThrottleStepUs = 20_000, ThrottleMaxUs = 2_000_000;

    private byte _lastError;
    private long _secUpdatedAt;

    /// <summary>The security event counter (object E0C5, read-only).</summary>
    public int SecurityEventCounter { get; private set; }

    /// <summary>The shared virtual clock, for the security monitor (null: no throttling).</summary>
    public VirtualClock? Clock { get; set; }

    // A protected operation (private-key use, secret-key use, derivation from a persistent secret):
    // counts toward SEC and, above the threshold, is delayed.
    private int ProtectedOperation(int durationUs)
    {
        if (Clock is null) return durationUs;
        long now = Clock.NowMicroseconds;
        DecaySecurityEvents();
        if (SecurityEventCounter == 0) _secUpdatedAt = now;
        SecurityEventCounter = Math.Min(255, SecurityEventCounter + 1);
        int delay = SecurityEventCounter >= ThrottleFrom ? Math.Min(ThrottleMaxUs, (SecurityEventCounter - ThrottleFrom + 1) * ThrottleStepUs) : 0;
        return durationUs + delay;
    }

    // SEC falls by one per tmax whether or not the host does anything (a reader of E0C5 and the
    // hibernate check see the decayed value; the Trust M hibernate example waits for 0 by reading it).
    private void DecaySecurityEvents()
    {
        if (Clock is null) return;
        int decay = (int)((Clock.NowMicroseconds - _secUpdatedAt) / TmaxUs);
        if (decay <= 0) return;
        SecurityEventCounter = Math.Max(0, SecurityEventCounter - decay);
        _secUpdatedAt += (long)decay * TmaxUs;
    }

    public ChipState State => state;

    /// <summary>Set while the presentation layer protects the command (Conf in change and execute access conditions).</summary>
    public bool CommandProtected { get; set; }

    /// <summary>Set while the presentation layer protects the response (Conf in read access conditions: the data leaves sealed).</summary>
    public bool ResponseProtected { get; set; }

    public bool ApplicationOpen { get; private set; }

    /// <summary>The last error code without clearing it (for tests and the serve protocol's status line).</summary>
    public byte PeekLastError => _lastError;

    /// <summary>Forgets volatile state, as a reset does: the application, the last error, the session contexts and the hash context.</summary>
    public void Reset()
    {
        ApplicationOpen = false;
        _lastError = 0;
        _sessions.Clear();
        _hash = null;
        _sym = null;
        _update = null;
        _autoStates.Clear();
        ForgetAuthScheme();
        ForgetDtls();
    }

    /// <summary>Told every command APDU and its response, as hex (chip-emu serve --trace-apdu): what the bus hides under the shielded connection.</summary>
    public Action<string>? ApduTrace { get; set; }

    /// <summary>Command APDUs executed since this chip was made (what a device-sim report counts per update).</summary>
    public long Commands { get; private set; }

    public (byte[] Response, int DurationUs) Execute(byte[] apdu)
    {
        Commands++;
        var result = ExecuteApdu(apdu);
        ApduTrace?.Invoke($"> {Convert.ToHexString(apdu)}\n< {Convert.ToHexString(result.Response)}{(result.Response.Length > 0 && result.Response[0] == 0xFF ? $" (last error {_lastError:X2})" : "")}");
        return result;
    }

    private (byte[] Response, int DurationUs) ExecuteApdu(byte[] apdu)
    {
        if (apdu.Length < 4) return Fail(0x04, 0);
        byte cmd = apdu[0];
        if ((cmd & 0x80) != 0) _lastError = 0;
        cmd &= 0x7F;
        byte param = apdu[1];
        int inLen = (apdu[2] << 8) | apdu[3];
        if (inLen != apdu.Length - 4) return Fail(0x04, 0);
        var inData = apdu.AsSpan(4).ToArray();
        if (Array.IndexOf(state.Part.Commands, cmd) < 0) return Fail(0x0A, 0); /* not in this part's command table */
        if (cmd == 0x70) return OpenApplication(param, inData);
        if (!ApplicationOpen) return Fail(0x0C, 0);
        return cmd switch
        {
            0x01 => GetData(param, inData),
            0x02 => SetData(param, inData),
            0x0C => Random(param, inData),
            0x32 => Verify(param, inData),
            0x31 => Sign(param, inData),
            0x34 => Derive(param, inData),
            0x38 => GenKeyPair(param, inData),
            0x30 => Hash(param, inData),
            0x33 => SharedSecret(param, inData),
            0x71 => CloseApplication(param, inData),
            0x39 => GenSymKey(param, inData),
            0x14 or 0x15 => Symmetric(cmd, param, inData),
            0x1E => EncryptAsym(param, inData),
            0x03 => SetObjectProtected(param, inData),
            0x1F => DecryptAsym(param, inData),
            0x10 => SetAuthScheme(param, inData),
            0x19 => SetAuthMessage(param, inData),
            0x18 => GetAuthMessage(param, inData),
            0x1A => GetMessage(param, inData),
            0x1B => PutMessage(param, inData),
            _ => Fail(0x0A, 0),
        };
    }

    private static (byte[], int) Ok(byte[] data, int us) => ([0x00, 0x00, (byte)(data.Length >> 8), (byte)data.Length, .. data], us);

    private (byte[], int) Fail(byte code, int us)
    {
        if (code > _lastError) _lastError = code;
        return ([0xFF, 0x00, 0x00, 0x00], us);
    }

    /// <summary>The application's AID: RID D276000004, PIX "GenAuthAppl" (SRM-M Table 56; X-CMDC UNIQUE_APP_IDENTIFIER).</summary>
    private static readonly byte[] Aid = [0xD2, 0x76, 0x00, 0x00, 0x04, 0x47, 0x65, 0x6E, 0x41, 0x75, 0x74, 0x68, 0x41, 0x70, 0x70, 0x6C];

    private byte[]? _hibernationHandle;
    private Dictionary<int, SessionContext>? _hibernated;

    // Param 00: a clean context. Param 01 (Trust M): restore a hibernated one by its 8-byte handle (SRM-M Table 18).
    private (byte[], int) OpenApplication(byte param, byte[] data)
    {
        if (param == 0x01 && state.Part.HasTrustMObjects)
        {
            if (data.Length != Aid.Length + 8 || !data.AsSpan(0, Aid.Length).SequenceEqual(Aid)) return Fail(0x05, OpenApplicationUs);
            if (_hibernationHandle is null || !data.AsSpan(Aid.Length).SequenceEqual(_hibernationHandle)) return Fail(0x05, OpenApplicationUs);
            _sessions.Clear();
            foreach (var (oid, session) in _hibernated!) _sessions[oid] = session;
            _hibernationHandle = null;
            _hibernated = null;
            ApplicationOpen = true;
            return Ok([], OpenApplicationUs);
        }
        if (param != 0x00) return Fail(0x03, OpenApplicationUs);
        if (!data.AsSpan().SequenceEqual(Aid)) return Fail(0x05, OpenApplicationUs);
        _sessions.Clear();
        _autoStates.Clear();
        _hash = null;
        ForgetAuthScheme();
        ForgetDtls();
        ApplicationOpen = true;
        return Ok([], OpenApplicationUs);
    }

    // Trust M CloseApplication (SRM-M Table 19): 00 closes; 01 hibernates (only with SEC = 0, else 0x0B)
    // and returns the 8-byte handle OpenApplication(01) restores with.
    private (byte[], int) CloseApplication(byte param, byte[] data)
    {
        if (data.Length != 0) return Fail(0x04, OpenApplicationUs);
        if (param == 0x00)
        {
            ApplicationOpen = false;
            _sessions.Clear();
            _autoStates.Clear();
            return Ok([], OpenApplicationUs);
        }
        if (param != 0x01) return Fail(0x03, OpenApplicationUs);
        DecaySecurityEvents();
        if (SecurityEventCounter != 0) return Fail(0x0B, OpenApplicationUs);
        _hibernationHandle = RandomNumberGenerator.GetBytes(8);
        _hibernated = new Dictionary<int, SessionContext>(_sessions);
        _sessions.Clear();
        ApplicationOpen = false;
        return Ok(_hibernationHandle, OpenApplicationUs);
    }

}

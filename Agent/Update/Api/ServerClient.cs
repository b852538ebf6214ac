using SecureOta.Agent.Update.Flow;
using SecureOta.Core.Cbor;
using SecureOta.Core.Cose;
using SecureOta.Core.Crypto;
using SecureOta.Drivers.Chip;
using SecureOta.Drivers.Chip.Commands;

namespace SecureOta.Agent.Update.Api
{
    /// <summary>
    /// The device side of the device API (docs/device-api.md): nonce, check-in signed by the chip's
    /// device key (the private key never leaves the chip), status reports with the session token.
    /// Every answer is parsed strictly; anything unexpected is an error with a message, never a throw.
    /// </summary>
    public sealed class ServerClient
    {
        private readonly IJsonHttp _http;
        private readonly string _base;
        private readonly string _deviceId;
        private readonly SecurityChip _chip;
        private readonly ISha256 _sha;
        private readonly string[] _body = new string[1];
        private readonly string[] _failure = new string[1];
        private string _token;
        private BackgroundPost _pending;
        private BackgroundPost _nonce;

        /// <summary>
        /// How long a call waits for a report still in flight (ReportInBackground): the board's HTTP layer gives
        /// each step of a request 15 s (connect, send, answer), so a report that has not ended by then never will.
        /// </summary>
        public const int SettleMilliseconds = 60000;

        public ServerClient(IJsonHttp http, string serverUrl, string deviceId, SecurityChip chip, ISha256 sha)
        {
            _http = http;
            _base = serverUrl + DeviceApi.Prefix + deviceId;
            _deviceId = deviceId;
            _chip = chip;
            _sha = sha;
            PollSeconds = DeviceApi.DefaultPollSeconds;
        }

        /// <summary>The last error, for the log.</summary>
        public string Error { get; private set; }

        /// <summary>
        /// When set, every check-in carries a fresh nonce from the chip's random generator and its answer
        /// must carry a freshness statement over that nonce, signed by the channel key (verified by the chip
        /// against OidChannelTrustAnchor); an answer without one, or with a forged or replayed one, is refused
        /// (docs/device-api.md 3a). Null: a board provisioned without a channel trust anchor.
        /// </summary>
        public ChannelWatch Watch;

        /// <summary>The model's time across threads, for a background report (null on a board: IPipelineTime).</summary>
        public IPipelineTime PipelineTime;

        /// <summary>What the server asked for at the last check-in, clamped.</summary>
        public int PollSeconds { get; private set; }

        /// <summary>
        /// Checks in. True when the server authenticated the device; offer[0] is then the data set to
        /// install, or null.
        /// </summary>
        public bool CheckIn(long sequence, string version, string state, UpdateOffer[] offer)
        {
            BackgroundPost prefetched = _nonce;
            _nonce = null;
            Settle();
            offer[0] = null;
            Json nonceAnswer = prefetched == null ? Call(_base + DeviceApi.NoncePath, null, "{}") : Taken(prefetched, _base + DeviceApi.NoncePath);
            if (nonceAnswer == null)
            {
                return false;
            }

            byte[] nonce = Hex.Decode(nonceAnswer.String("nonce"), DeviceApi.NonceLength);
            if (nonce == null)
            {
                return Fail("the nonce answer carries no 32-byte hex nonce");
            }

            ChipResult signature = _chip.Sign(SecurityChip.OidDeviceKey, CheckInDigest(_sha, _deviceId, nonce, sequence));
            if (!signature.IsOk)
            {
                return Fail("the security chip could not sign the check-in: " + signature.Message);
            }

            byte[] channelNonce = null;
            if (Watch != null)
            {
                ChipResult random = _chip.Execute(new GetRandom(FreshnessStatement.NonceLength));
                if (!random.IsOk || random.Data == null || random.Data.Length != FreshnessStatement.NonceLength)
                {
                    return Fail("the security chip gave no random nonce for the freshness statement: " + random.Message);
                }

                channelNonce = random.Data;
            }

            string body = "{\"nonce\":\"" + Hex.Encode(nonce) + "\",\"signature\":\"" + Hex.Encode(signature.Data)
                + "\",\"sequence\":" + sequence.ToString() + ",\"version\":" + JsonText.Quote(version)
                + ",\"state\":" + JsonText.Quote(state)
                + (channelNonce == null ? "" : ",\"channelNonce\":\"" + Hex.Encode(channelNonce) + "\"") + "}";
            Json answer = Call(_base + DeviceApi.CheckInPath, null, body);
            if (answer == null)
            {
                return false;
            }

            if (channelNonce != null && !CheckFreshness(answer.Object("freshness"), channelNonce))
            {
                return false;
            }

            string token = answer.String("token");
            if (token == null || token.Length == 0)
            {
                return Fail("the check-in answer carries no session token");
            }

            _token = token;
            long poll = answer.Integer("pollSeconds", DeviceApi.DefaultPollSeconds);
            PollSeconds = (int)(poll < DeviceApi.MinPollSeconds ? DeviceApi.MinPollSeconds : poll > DeviceApi.MaxPollSeconds ? DeviceApi.MaxPollSeconds : poll);
            Json update = answer.Object("update");
            if (update == null)
            {
                return true;
            }

            UpdateOffer o = new UpdateOffer();
            o.Url = update.String("url");
            o.Size = update.Integer("size", -1);
            o.Sequence = update.Integer("sequence", -1);
            o.Version = update.String("version");
            if (o.Url == null || !(o.Url.StartsWith("http://") || o.Url.StartsWith("https://")) || o.Size <= 0 || o.Sequence < 0)
            {
                return Fail("the check-in answer's update lacks a http(s) url, a size or a sequence");
            }

            o.Install = ParseInstall(update.Object("install"));
            string invalid = o.Install == null ? "the install member is not an object with a policy" : o.Install.Check();
            if (invalid != null)
            {
                return Fail("the check-in answer's update.install is not understood: " + invalid);
            }

            offer[0] = o;
            return true;
        }

        // update.install (docs/device-api.md section 3): absent means automatic, as a server before issue 18 meant.
        private static InstallPolicy ParseInstall(Json install)
        {
            InstallPolicy p = new InstallPolicy();
            if (install == null)
            {
                return p;
            }

            p.Mode = install.String("policy");
            if (p.Mode == null)
            {
                return null;
            }

            p.WindowStart = (int)install.Integer("windowStart", -1);
            p.WindowEnd = (int)install.Integer("windowEnd", -1);
            p.Deadline = install.Integer("deadline", 0);
            return p;
        }

        // Section 3a: the statement must be the channel key's signature (checked by the chip) over exactly this
        // check-in's nonce and this board's id; then the watch learns the announced sequence and the time.
        private bool CheckFreshness(Json freshness, byte[] channelNonce)
        {
            if (freshness == null)
            {
                return Fail("the check-in answer carries no freshness statement: refused (a withheld or replayed answer?)");
            }

            byte[] payload = Hex.DecodeBounded(freshness.String("payload"), FreshnessStatement.MaxEncoded);
            byte[] sign1 = Hex.DecodeBounded(freshness.String("signature"), FreshnessStatement.MaxSign1);
            FreshnessStatement statement = FreshnessStatement.Decode(payload);
            if (sign1 == null || statement == null)
            {
                return Fail("the freshness statement is not a CBOR statement with a COSE_Sign1: refused");
            }

            ChipSignatureVerifier verifier = new ChipSignatureVerifier(_chip, SecurityChip.OidChannelTrustAnchor);
            bool valid;
            try
            {
                CoseSign1 cose = CoseSign1.Parse(new CborReader(sign1, 0, sign1.Length));
                valid = Es256Signature.IsLowS(cose.Signature) && cose.Verify(_sha, verifier, payload, 0, payload.Length);
            }
            catch (CborException)
            {
                valid = false;
            }
            catch (CoseException)
            {
                valid = false;
            }

            if (!valid)
            {
                ChipResult chip = verifier.LastResult;
                return Fail(chip != null && !chip.IsOk && chip.DeviceError != ChipErrors.DeviceSignatureFailure
                    ? "the security chip could not check the freshness statement: " + chip.Message
                    : "the freshness statement is not signed by the channel key: refused (forged)");
            }

            if (!SecureOta.Core.Suit.SuitDigest.AreEqual(statement.Nonce, channelNonce) || statement.DeviceId != _deviceId)
            {
                return Fail("the freshness statement is for another check-in (not this board's nonce or id): refused (replayed)");
            }

            Watch.Fresh(statement.NewestSequence, statement.ServerTime);
            return true;
        }

        /// <summary>Reports a state (docs/device-api.md section 4); false if the server did not take it.</summary>
        public bool Report(string state, long sequence, int failure, int code, string message)
        {
            Settle();
            if (_token == null)
            {
                return Fail("no session: check in first");
            }

            return Answered(_http.Post(_base + DeviceApi.StatusPath, _token, ReportBody(state, sequence, failure, code, message), _body, _failure), _failure[0]);
        }

        /// <summary>
        /// Reports a progress state without waiting for the answer (BackgroundPost): the next call to this
        /// client waits for it first, so one request of this client is in flight at a time and reports arrive
        /// in the order they were made. False only when there is no session; the outcome is in Error after
        /// the next call's Settle, as best effort as a report is.
        /// </summary>
        public bool ReportInBackground(string state, long sequence, string message)
        {
            Settle();
            if (_token == null)
            {
                return Fail("no session: check in first");
            }

            _pending = new BackgroundPost(_http, _base + DeviceApi.StatusPath, _token, ReportBody(state, sequence, 0, 0, message), PipelineTime);
            _pending.Start();
            return true;
        }

        /// <summary>
        /// Asks for the next check-in's nonce on its own thread (issue 14): the agent opens the chip's session
        /// and reads its counter while the request is in flight, and CheckIn takes the answer. Any other call
        /// of this client settles it first and drops it, so one request of the client is in flight at a time;
        /// a nonce never used expires at the server (docs/device-api.md section 2).
        /// </summary>
        public void RequestNonceInBackground()
        {
            Settle();
            _nonce = new BackgroundPost(_http, _base + DeviceApi.NoncePath, null, "{}", PipelineTime);
            _nonce.Start();
        }

        /// <summary>
        /// Waits (bounded) for a request still in flight: a nonce asked for and not taken is dropped; false
        /// when a report was not taken (Error says why).
        /// </summary>
        public bool Settle()
        {
            BackgroundPost nonce = _nonce;
            if (nonce != null)
            {
                _nonce = null;
                nonce.Settle(SettleMilliseconds);
            }

            BackgroundPost pending = _pending;
            if (pending == null)
            {
                return true;
            }

            _pending = null;
            if (!pending.Settle(SettleMilliseconds))
            {
                return Fail("status report given up: no answer within " + (SettleMilliseconds / 1000).ToString() + " s");
            }

            return Answered(pending.Status, pending.Failure);
        }

        private static string ReportBody(string state, long sequence, int failure, int code, string message)
        {
            return "{\"state\":" + JsonText.Quote(state) + ",\"sequence\":" + sequence.ToString()
                + ",\"failure\":" + failure.ToString() + ",\"code\":" + code.ToString()
                + ",\"message\":" + JsonText.Quote(message) + "}";
        }

        private bool Answered(int status, string failure)
        {
            if (status < 0)
            {
                return Fail("status report failed: " + failure);
            }

            return status == 204 || status == 200 || Fail("status report refused: HTTP " + status.ToString());
        }

        /// <summary>
        /// SHA-256( "secureota-checkin-v1" 0x00 deviceId(UTF-8) 0x00 nonce(32) sequence(8, big-endian) ),
        /// docs/device-api.md section 3. Binding the id and the sequence stops a relay from reusing the
        /// signature for another device or another claimed version.
        /// </summary>
        public static byte[] CheckInDigest(ISha256 sha, string deviceId, byte[] nonce, long sequence)
        {
            byte[] domain = System.Text.Encoding.UTF8.GetBytes(DeviceApi.CheckInDomain);
            byte[] id = System.Text.Encoding.UTF8.GetBytes(deviceId);
            byte[] zero = new byte[1];
            byte[] seq = new byte[8];
            for (int i = 0; i < 8; i++)
            {
                seq[i] = (byte)(sequence >> (56 - (8 * i)));
            }

            sha.Reset();
            sha.Update(domain, 0, domain.Length);
            sha.Update(zero, 0, 1);
            sha.Update(id, 0, id.Length);
            sha.Update(zero, 0, 1);
            sha.Update(nonce, 0, nonce.Length);
            sha.Update(seq, 0, 8);
            byte[] digest = new byte[32];
            sha.Finish(digest, 0);
            return digest;
        }

        private Json Call(string url, string bearer, string body)
        {
            int status = _http.Post(url, bearer, body, _body, _failure);
            return Answer(url, status, _failure[0], _body[0]);
        }

        // The answer of a request made in the background (RequestNonceInBackground), checked as Call checks its own.
        private Json Taken(BackgroundPost request, string url)
        {
            if (!request.Settle(SettleMilliseconds))
            {
                Fail("no answer from " + url + " within " + (SettleMilliseconds / 1000).ToString() + " s");
                return null;
            }

            return Answer(url, request.Status, request.Failure, request.Answer);
        }

        private Json Answer(string url, int status, string failure, string body)
        {
            if (status < 0)
            {
                Fail("cannot reach the server: " + failure);
                return null;
            }

            if (status != 200)
            {
                Fail("HTTP " + status.ToString() + " from " + url);
                return null;
            }

            Json answer = Json.Parse(body);
            if (answer == null)
            {
                Fail("the answer from " + url + " is not a JSON object this device understands");
            }

            return answer;
        }

        private bool Fail(string message)
        {
            Error = message;
            return false;
        }
    }
}

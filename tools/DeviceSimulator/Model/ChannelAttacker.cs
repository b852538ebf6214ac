using System.Text.Json.Nodes;
using SecureOta.Agent.Update.Api;

namespace SecureOta.DeviceSimulator.Model;

/// <summary>
/// A network attacker between a board and the update server who keeps the board from updating (issue 18;
/// TUF "indefinite freeze", white paper 004 step B). It cannot forge the server's signatures, so it can only
/// hold back or replay what the server says: withhold removes the offer from every check-in answer (the
/// freshness statement passes untouched, so the board learns a newer release exists); strip also removes
/// the statement ("nothing new", as an old server would say); replay answers every check-in with the
/// first answer it saw, its offer removed (an answer recorded before the release: from the second
/// check-in on, its statement carries another check-in's nonce). Status reports pass, as
/// they would through an attacker who wants the fleet to look healthy.
/// </summary>
public sealed class ChannelAttacker(IJsonHttp inner, string mode) : IJsonHttp
{
    public const string Withhold = "withhold", Strip = "strip", Replay = "replay";
    public static readonly string[] Modes = [Withhold, Strip, Replay];

    private string? _first;

    /// <summary>Check-in answers the attacker changed.</summary>
    public int Tampered { get; private set; }

    public int Post(string url, string? bearer, string json, string[] responseBody, string[] failure)
    {
        int status = inner.Post(url, bearer, json, responseBody, failure);
        if (!url.EndsWith(DeviceApi.CheckInPath, StringComparison.Ordinal) || status != 200) return status;
        if (JsonNode.Parse(responseBody[0]) is not JsonObject answer) return status;
        if (mode == Replay)
        {
            // The recorded answer says "nothing new" (as one recorded before the release would).
            answer["update"] = null;
            _first ??= answer.ToJsonString();
            responseBody[0] = _first;
            Tampered++;
            return status;
        }
        bool changed = answer.Remove("update");
        if (mode == Strip) changed |= answer.Remove("freshness");
        answer["update"] = null;
        if (changed) Tampered++;
        responseBody[0] = answer.ToJsonString();
        return status;
    }
}

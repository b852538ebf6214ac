namespace SecureOta.DeviceSimulator.Fleet;

/// <summary>
/// Which faults the fleet run injects, as the probability that a device gets each one (once).
/// Parsed from "--faults power-cut=0.3,drop=0.5,..." or a preset name.
/// </summary>
public sealed class FaultPlan
{
    public static readonly string[] Kinds = ["power-cut", "boot-power-cut", "drop", "corrupt", "range-200", "tamper", "i2c-attack"];

    public Dictionary<string, double> Probability { get; } = Kinds.ToDictionary(k => k, _ => 0.0);

    /// <summary>
    /// "none"; "recoverable" (faults a device rides out without reporting a failure: power cuts in the
    /// agent and the boot stage, dropped connections); "all" (every kind, each device one at random
    /// chance); or a list kind=probability.
    /// </summary>
    public static FaultPlan Parse(string text)
    {
        var plan = new FaultPlan();
        switch (text)
        {
            case "none" or "":
                return plan;
            case "recoverable":
                plan.Probability["power-cut"] = 0.3;
                plan.Probability["boot-power-cut"] = 0.2;
                plan.Probability["drop"] = 0.5;
                return plan;
            case "all":
                foreach (var k in Kinds) plan.Probability[k] = 0.25;
                return plan;
        }
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=');
            if (kv.Length != 2 || !plan.Probability.ContainsKey(kv[0]) || !double.TryParse(kv[1], System.Globalization.CultureInfo.InvariantCulture, out var p) || p is < 0 or > 1)
                throw new ArgumentException($"--faults: '{part}' is not KIND=PROBABILITY with KIND one of {string.Join(", ", Kinds)} and 0 <= PROBABILITY <= 1 (or use none, recoverable, all)");
            plan.Probability[kv[0]] = p;
        }
        return plan;
    }

    public bool Rolls(string kind, Random random) => random.NextDouble() < Probability[kind];

    public override string ToString() =>
        string.Join(",", Probability.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key}={kv.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}")) is { Length: > 0 } s ? s : "none";
}

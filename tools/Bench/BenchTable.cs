namespace SecureOta.Bench;

/// <summary>One row of the benchmark table: a measurement, its reference from the same run, and the ratio.</summary>
public sealed record BenchRow(string Component, string Case, string Metric, double Value, string ReferenceName, double Reference)
{
    public double Ratio => Reference == 0 ? double.NaN : Value / Reference;
}

public static class BenchTable
{
    public static void Print(IEnumerable<BenchRow> rows)
    {
        Console.WriteLine($"{"component",-10} {"case",-22} {"metric",-14} {"value",12} {"reference",-28} {"ref value",12} {"ratio",8}");
        Console.WriteLine(new string('-', 112));
        foreach (var r in rows)
            Console.WriteLine($"{r.Component,-10} {r.Case,-22} {r.Metric,-14} {Number(r.Value),12} {r.ReferenceName,-28} {Number(r.Reference),12} {r.Ratio,8:F2}");
    }

    // Small figures with two decimals, so a row's value and reference read as the ratio says (0.35 against
    // 0.30, not 0.3 against 0.3 at a ratio of 1.16); larger ones with one.
    private static string Number(double v) => v.ToString(Math.Abs(v) < 10 ? "F2" : "F1", System.Globalization.CultureInfo.InvariantCulture);
}

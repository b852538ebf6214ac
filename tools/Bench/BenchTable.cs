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
            Console.WriteLine($"{r.Component,-10} {r.Case,-22} {r.Metric,-14} {r.Value,12:F1} {r.ReferenceName,-28} {r.Reference,12:F1} {r.Ratio,8:F2}");
    }
}

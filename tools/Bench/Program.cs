using SecureOta.Bench;

// make bench: every benchmark the components add, printed as one table.
// An argument runs only the benchmarks whose name contains it (for example: dotnet run -- HeapPeak).
var benches = new (string Name, Func<IEnumerable<BenchRow>> Run)[]
{
    (nameof(Sha256Bench), Sha256Bench.Run),
    (nameof(AesCtrBench), AesCtrBench.Run),
    (nameof(CryptoPathBench), CryptoPathBench.Run),
    (nameof(UpdateLimitBench), UpdateLimitBench.Run),
    (nameof(StagingMemoryBench), StagingMemoryBench.Run),
    (nameof(HeapPeakBench), HeapPeakBench.Run),
    (nameof(DownloadLoadBench), DownloadLoadBench.Run),
    (nameof(CheckInLoadBench), CheckInLoadBench.Run),
    (nameof(FleetScaleBench), FleetScaleBench.Run),
};
var filter = args.Length > 0 ? args[0] : "";
var rows = new List<BenchRow>();
foreach (var (name, run) in benches)
    if (name.Contains(filter, StringComparison.OrdinalIgnoreCase)) rows.AddRange(run());
BenchTable.Print(rows);

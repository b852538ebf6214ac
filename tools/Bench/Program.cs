using SecureOta.Bench;

// make bench: every benchmark the components add, printed as one table.
var rows = new List<BenchRow>();
rows.AddRange(Sha256Bench.Run());
rows.AddRange(AesCtrBench.Run());
rows.AddRange(StagingMemoryBench.Run());
rows.AddRange(DownloadLoadBench.Run());
rows.AddRange(CheckInLoadBench.Run());
BenchTable.Print(rows);

using SecureOta.Bench;

// make bench: every benchmark the components add, printed as one table.
var rows = new List<BenchRow>();
rows.AddRange(Sha256Bench.Run());
rows.AddRange(AesCtrBench.Run());
BenchTable.Print(rows);

using SecureOta.Core.Suit;
using SecureOta.DiffFuzz;

// diff-fuzz: the agent's reader (C#) against the boot stage's (C) on the same envelope headers, made from
// the fixtures' data sets by structure-aware mutation of the manifest and the envelope, re-signed with
// the fixtures' vendor key so that mutations reach the parsers behind the signature.
//   diff-fuzz --fixtures DIR --library libbs_diff.so [--runs N] [--seed S] [--crashes DIR]
// Prints "diff-fuzz: executions: N, accepted by both: A, disagreements: D"; exit 1 on a disagreement.
string? fixtures = null, library = null, crashes = null;
long runs = 10000;
int seed = 1;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException(args[i] + " needs a value");
    try
    {
        switch (args[i])
        {
            case "--fixtures": fixtures = Next(); break;
            case "--library": library = Next(); break;
            case "--crashes": crashes = Next(); break;
            case "--runs": runs = long.Parse(Next()); break;
            case "--seed": seed = int.Parse(Next()); break;
            default: throw new ArgumentException("unknown option " + args[i]);
        }
    }
    catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
    {
        Console.Error.WriteLine("diff-fuzz: " + e.Message);
        return 2;
    }
}
if (fixtures is null || library is null || !Directory.Exists(fixtures) || !File.Exists(library))
{
    Console.Error.WriteLine("diff-fuzz: --fixtures DIR (Bootloader/build/fixtures) and --library PATH (Bootloader/build/libbs_diff.so) are required and must exist");
    return 2;
}

using var set = new FixtureSet(fixtures);
var cReader = set.BootStage(library);
using var agent = set.Agent();

// Seeds: the manifests of the fixtures' data sets that install (v7, v8; v7 with a firmware dependency,
// plain and encrypted: docs/data-set-format.md 1c) and the payload key and length.
var seeds = new[] { set.Seed("v7.suit"), set.Seed("v8.suit"), set.Seed("v7-requires.suit"), set.Seed("v7-requires-encrypted.suit") };

var random = new Random(seed);
var mutator = new Mutator(random);
var builder = new EnvelopeBuilder(set.Key, random);
long executions = 0, bothAccepted = 0, disagreements = 0;
var kinds = new Dictionary<string, int>();
if (crashes is not null) Directory.CreateDirectory(crashes);

// The unmutated seeds must be accepted by both, or the run measures nothing.
foreach (var (m, k, len) in seeds)
{
    var h = builder.Build(m, builder.Signature(m), k, len, null, out _);
    var a = agent.Check(h);
    var c = cReader.Check(h);
    if (!a.Ok || !c.Ok)
    {
        Console.Error.WriteLine($"diff-fuzz: a seed is not accepted (agent: {a}; boot stage: {c})");
        return 2;
    }
}

for (long run = 0; run < runs; run++)
{
    var (manifest, payloadKey, payloadLength) = seeds[random.Next(seeds.Length)];
    var tree = CborNode.Decode(manifest);
    var what = new List<string>();
    int mutations = 1 + random.Next(3);
    for (int m = 0; m < mutations; m++) what.Add(mutator.Mutate(tree));
    var mutated = tree.Encode();
    var signature = random.Next(20) == 0 ? new byte[64] : builder.Signature(mutated);
    ulong length = random.Next(10) == 0 ? (ulong)random.Next(0, 1 << 20) : payloadLength;
    var header = builder.Build(mutated, signature, payloadKey, length, mutator, out var envelopeWhat);
    if (envelopeWhat is not null) what.Add(envelopeWhat);

    var agentVerdict = agent.Check(header);
    var bootVerdict = cReader.Check(header);
    executions++;
    if (agentVerdict.Ok && bootVerdict.Ok && agentVerdict.SameAs(bootVerdict)) bothAccepted++;
    if (agentVerdict.SameAs(bootVerdict)) continue;

    disagreements++;
    string kind = (agentVerdict.Ok ? "agent accepts" : "agent rejects") + ", " + (bootVerdict.Ok ? "boot stage accepts" : "boot stage rejects") + ": " + string.Join("; ", what);
    kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
    if (disagreements <= 10) Console.WriteLine($"DISAGREE run {run}: agent {agentVerdict}; boot stage {bootVerdict}; mutations: {string.Join("; ", what)}");
    if (crashes is not null && disagreements <= 200)
    {
        File.WriteAllBytes(Path.Combine(crashes, $"disagree-{seed}-{run}.hdr"), header);
        File.WriteAllText(Path.Combine(crashes, $"disagree-{seed}-{run}.txt"), $"agent: {agentVerdict}\nboot stage: {bootVerdict}\nmutations: {string.Join("; ", what)}\n");
    }
}

foreach (var (kind, count) in kinds.OrderByDescending(k => k.Value).Take(25)) Console.WriteLine($"  {count,7}  {kind}");
Console.WriteLine($"diff-fuzz: executions: {executions}, accepted by both: {bothAccepted}, disagreements: {disagreements}");
return disagreements == 0 ? 0 : 1;

namespace SecureOta.NanoGate;

/// <summary>One finding of the gate: where (file, 1-based line and column), which rule, and what to do.</summary>
public sealed record GateDiagnostic(string File, int Line, int Column, string Code, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: error {Code}: {Message}";
}

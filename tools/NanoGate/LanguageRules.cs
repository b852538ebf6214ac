using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SecureOta.NanoGate;

/// <summary>
/// Language features the nanoFramework 1.x runtime cannot execute (shared/reference/nanoframework.md,
/// section 2), found by walking the syntax tree with its semantic model. Each rule has a stable code so
/// that a finding names the rule as well as the file and line.
/// </summary>
public static class LanguageRules
{
    public const string GenericDeclared = "NANO001";
    public const string GenericUsed = "NANO002";
    public const string Async = "NANO003";
    public const string Linq = "NANO004";
    public const string SpanLike = "NANO005";
    public const string Tuple = "NANO006";
    public const string Dynamic = "NANO007";
    public const string Unsafe = "NANO008";
    public const string MultiDimArray = "NANO009";
    public const string Record = "NANO010";
    public const string Checked = "NANO011";
    public const string NullableValue = "NANO012";
    public const string SpanByteOutsideBoundary = "NANO013";
    public const string InterfaceBody = "NANO014";
    public const string RangeIndex = "NANO015";

    /// <summary>Folder name whose files may use SpanByte: the ESP32 adapters at the I2C boundary.</summary>
    public const string SpanByteBoundaryFolder = "Esp32";

    public static IEnumerable<(SyntaxNodeOrToken Where, string Code, string Message)> Check(SyntaxTree tree, SemanticModel model)
    {
        var walker = new Walker(model, IsSpanByteBoundary(tree.FilePath));
        walker.Visit(tree.GetRoot());
        return walker.Findings;
    }

    private static bool IsSpanByteBoundary(string path) =>
        path.Replace('\\', '/').Split('/').Contains(SpanByteBoundaryFolder, StringComparer.Ordinal);

    // Rules that depend on the kind of node alone (SyntaxKind -> rule), checked for every node.
    private static readonly Dictionary<SyntaxKind, (string Code, string Message)> ByKind = new()
    {
        [SyntaxKind.TypeParameterList] = (GenericDeclared, "generic type or method declared: nanoFramework 1.x has no generics; use object, ArrayList or a concrete type"),
        [SyntaxKind.AwaitExpression] = (Async, "await: nanoFramework 1.x has no Task/async/await"),
        [SyntaxKind.QueryExpression] = (Linq, "LINQ query: nanoFramework has no System.Linq; write the loop"),
        [SyntaxKind.StackAllocArrayCreationExpression] = (SpanLike, "stackalloc: not supported on nanoFramework 1.x; allocate a byte[] once and reuse it"),
        [SyntaxKind.ImplicitStackAllocArrayCreationExpression] = (SpanLike, "stackalloc: not supported on nanoFramework 1.x; allocate a byte[] once and reuse it"),
        [SyntaxKind.TupleType] = (Tuple, "tuple type: nanoFramework 1.x has no ValueTuple; return a small class or use out parameters"),
        [SyntaxKind.TupleExpression] = (Tuple, "tuple expression: nanoFramework 1.x has no ValueTuple"),
        [SyntaxKind.PointerType] = (Unsafe, "pointer type: not supported by nanoFramework by design"),
        [SyntaxKind.FunctionPointerType] = (Unsafe, "function pointer: not supported by nanoFramework"),
        [SyntaxKind.UnsafeStatement] = (Unsafe, "unsafe block: not supported by nanoFramework by design"),
        [SyntaxKind.FixedStatement] = (Unsafe, "fixed statement: not supported by nanoFramework by design"),
        [SyntaxKind.RecordDeclaration] = (Record, "record: not supported on nanoFramework 1.x; write a class with explicit members"),
        [SyntaxKind.RecordStructDeclaration] = (Record, "record struct: not supported on nanoFramework 1.x; write a struct with explicit members"),
        [SyntaxKind.CheckedExpression] = (Checked, "checked(...) does not throw on nanoFramework (add.ovf is executed as add): check the bound explicitly"),
        [SyntaxKind.CheckedStatement] = (Checked, "checked { } does not throw on nanoFramework (add.ovf is executed as add): check the bound explicitly"),
        [SyntaxKind.RangeExpression] = (RangeIndex, "range expression (a..b): System.Range is not in nanoFramework 1.x"),
        [SyntaxKind.IndexExpression] = (RangeIndex, "index from end (^n): System.Index is not in nanoFramework 1.x"),
    };

    // Modifiers the runtime cannot honour, wherever they stand (methods, local functions, lambdas, types).
    private static readonly Dictionary<SyntaxKind, (string Code, string Message)> ByModifier = new()
    {
        [SyntaxKind.AsyncKeyword] = (Async, "async: nanoFramework 1.x has no Task/async/await; write a synchronous method with a bounded wait"),
        [SyntaxKind.UnsafeKeyword] = (Unsafe, "unsafe code: pointers are not supported by nanoFramework by design"),
    };

    private sealed class Walker(SemanticModel model, bool spanByteAllowed) : CSharpSyntaxWalker(SyntaxWalkerDepth.Node)
    {
        public List<(SyntaxNodeOrToken, string, string)> Findings { get; } = [];

        private void Add(SyntaxNodeOrToken where, string code, string message) => Findings.Add((where, code, message));

        public override void Visit(SyntaxNode? node)
        {
            if (node is null) return;
            if (ByKind.TryGetValue(node.Kind(), out var rule)) Add(node, rule.Code, rule.Message);
            if (node is not UnsafeStatementSyntax)
                foreach (var token in node.ChildTokens())
                    if (ByModifier.TryGetValue(token.Kind(), out var modifierRule)) Add(token, modifierRule.Code, modifierRule.Message);
            base.Visit(node);
        }

        public override void VisitGenericName(GenericNameSyntax node)
        {
            var name = node.Identifier.ValueText;
            if (name is "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory")
                Add(node, SpanLike, $"{name}<T> is not in nanoFramework 1.x: use byte[] with offset and count (SpanByte only in {SpanByteBoundaryFolder}/ adapters)");
            else
                Add(node, GenericUsed, $"generic type or method used ({node}): nanoFramework 1.x has no generics; use ArrayList, Hashtable or arrays");
            base.VisitGenericName(node);
        }

        public override void VisitMethodDeclaration(MethodDeclarationSyntax node)
        {
            if (node.Parent is InterfaceDeclarationSyntax && (node.Body is not null || node.ExpressionBody is not null || node.Modifiers.Any(SyntaxKind.StaticKeyword)))
                Add(node.Identifier, InterfaceBody, "interface member with a body or static: not supported by the nanoFramework 1.x runtime");
            base.VisitMethodDeclaration(node);
        }

        public override void VisitUsingDirective(UsingDirectiveSyntax node)
        {
            var name = node.NamespaceOrType?.ToString() ?? "";
            if (name == "System.Linq" || name.StartsWith("System.Linq.", StringComparison.Ordinal))
                Add(node, Linq, "using System.Linq: nanoFramework has no LINQ; write the loop");
            if (name is "System.Collections.Generic" or "System.Threading.Tasks")
                Add(node, GenericUsed, $"using {name}: not available on nanoFramework 1.x");
            base.VisitUsingDirective(node);
        }

        public override void VisitIdentifierName(IdentifierNameSyntax node)
        {
            if (node.Identifier.ValueText == "dynamic" && model.GetSymbolInfo(node).Symbol is ITypeSymbol { TypeKind: TypeKind.Dynamic })
                Add(node, Dynamic, "dynamic: nanoFramework has no dynamic binder");
            if (!spanByteAllowed && node.Identifier.ValueText == "SpanByte")
                Add(node, SpanByteOutsideBoundary, $"SpanByte outside the I2C boundary: keep it in {SpanByteBoundaryFolder}/ adapters and pass byte[] with offset/count elsewhere");
            base.VisitIdentifierName(node);
        }

        public override void VisitArrayRankSpecifier(ArrayRankSpecifierSyntax node)
        {
            if (node.Rank > 1)
                Add(node, MultiDimArray, "multidimensional array: nanoFramework supports jagged arrays only (T[][])");
            base.VisitArrayRankSpecifier(node);
        }

        public override void VisitNullableType(NullableTypeSyntax node)
        {
            var type = model.GetTypeInfo(node.ElementType).Type;
            if (type is null || type.IsValueType)
                Add(node, NullableValue, "nullable value type (T?): Nullable<T> is generic and absent from nanoFramework 1.x; use a flag or a sentinel");
            base.VisitNullableType(node);
        }
    }
}

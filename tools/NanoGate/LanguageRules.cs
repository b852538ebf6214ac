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

    private sealed class Walker(SemanticModel model, bool spanByteAllowed) : CSharpSyntaxWalker(SyntaxWalkerDepth.Node)
    {
        public List<(SyntaxNodeOrToken, string, string)> Findings { get; } = [];

        private void Add(SyntaxNodeOrToken where, string code, string message) => Findings.Add((where, code, message));

        public override void VisitTypeParameterList(TypeParameterListSyntax node)
        {
            Add(node, GenericDeclared, "generic type or method declared: nanoFramework 1.x has no generics; use object, ArrayList or a concrete type");
            base.VisitTypeParameterList(node);
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
            CheckAsyncModifier(node.Modifiers);
            CheckUnsafeModifier(node.Modifiers);
            if (node.Body is not null || node.ExpressionBody is not null)
            {
                if (node.Parent is InterfaceDeclarationSyntax)
                    Add(node.Identifier, InterfaceBody, "interface member with a body (default interface method): not supported by the nanoFramework 1.x runtime");
            }
            if (node.Parent is InterfaceDeclarationSyntax && node.Modifiers.Any(SyntaxKind.StaticKeyword))
                Add(node.Identifier, InterfaceBody, "static interface member: not supported by the nanoFramework 1.x runtime");
            base.VisitMethodDeclaration(node);
        }

        public override void VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
        {
            CheckAsyncModifier(node.Modifiers);
            CheckUnsafeModifier(node.Modifiers);
            base.VisitLocalFunctionStatement(node);
        }

        public override void VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
        {
            CheckAsyncModifier(node.Modifiers);
            base.VisitParenthesizedLambdaExpression(node);
        }

        public override void VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
        {
            CheckAsyncModifier(node.Modifiers);
            base.VisitSimpleLambdaExpression(node);
        }

        public override void VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
        {
            CheckAsyncModifier(node.Modifiers);
            base.VisitAnonymousMethodExpression(node);
        }

        private void CheckAsyncModifier(SyntaxTokenList modifiers)
        {
            foreach (var m in modifiers)
                if (m.IsKind(SyntaxKind.AsyncKeyword))
                    Add(m, Async, "async method: nanoFramework 1.x has no Task/async/await; write a synchronous method with a bounded wait");
        }

        private void CheckUnsafeModifier(SyntaxTokenList modifiers)
        {
            foreach (var m in modifiers)
                if (m.IsKind(SyntaxKind.UnsafeKeyword))
                    Add(m, Unsafe, "unsafe code: pointers are not supported by nanoFramework by design");
        }

        public override void VisitAwaitExpression(AwaitExpressionSyntax node)
        {
            Add(node, Async, "await: nanoFramework 1.x has no Task/async/await");
            base.VisitAwaitExpression(node);
        }

        public override void VisitQueryExpression(QueryExpressionSyntax node)
        {
            Add(node, Linq, "LINQ query: nanoFramework has no System.Linq; write the loop");
            base.VisitQueryExpression(node);
        }

        public override void VisitUsingDirective(UsingDirectiveSyntax node)
        {
            var name = node.NamespaceOrType?.ToString() ?? node.Name?.ToString() ?? "";
            if (name == "System.Linq" || name.StartsWith("System.Linq.", StringComparison.Ordinal))
                Add(node, Linq, "using System.Linq: nanoFramework has no LINQ; write the loop");
            if (name == "System.Collections.Generic" || name == "System.Threading.Tasks")
                Add(node, GenericUsed, $"using {name}: not available on nanoFramework 1.x");
            base.VisitUsingDirective(node);
        }

        public override void VisitStackAllocArrayCreationExpression(StackAllocArrayCreationExpressionSyntax node)
        {
            Add(node, SpanLike, "stackalloc: not supported on nanoFramework 1.x; allocate a byte[] once and reuse it");
            base.VisitStackAllocArrayCreationExpression(node);
        }

        public override void VisitImplicitStackAllocArrayCreationExpression(ImplicitStackAllocArrayCreationExpressionSyntax node)
        {
            Add(node, SpanLike, "stackalloc: not supported on nanoFramework 1.x; allocate a byte[] once and reuse it");
            base.VisitImplicitStackAllocArrayCreationExpression(node);
        }

        public override void VisitTupleType(TupleTypeSyntax node)
        {
            Add(node, Tuple, "tuple type: nanoFramework 1.x has no ValueTuple; return a small class or use out parameters");
            base.VisitTupleType(node);
        }

        public override void VisitTupleExpression(TupleExpressionSyntax node)
        {
            Add(node, Tuple, "tuple expression: nanoFramework 1.x has no ValueTuple");
            base.VisitTupleExpression(node);
        }

        public override void VisitIdentifierName(IdentifierNameSyntax node)
        {
            if (node.Identifier.ValueText == "dynamic" && model.GetSymbolInfo(node).Symbol is ITypeSymbol { TypeKind: TypeKind.Dynamic })
                Add(node, Dynamic, "dynamic: nanoFramework has no dynamic binder");
            if (!spanByteAllowed && node.Identifier.ValueText == "SpanByte")
                Add(node, SpanByteOutsideBoundary, $"SpanByte outside the I2C boundary: keep it in {SpanByteBoundaryFolder}/ adapters and pass byte[] with offset/count elsewhere");
            base.VisitIdentifierName(node);
        }

        public override void VisitPointerType(PointerTypeSyntax node)
        {
            Add(node, Unsafe, "pointer type: not supported by nanoFramework by design");
            base.VisitPointerType(node);
        }

        public override void VisitFunctionPointerType(FunctionPointerTypeSyntax node)
        {
            Add(node, Unsafe, "function pointer: not supported by nanoFramework");
            base.VisitFunctionPointerType(node);
        }

        public override void VisitUnsafeStatement(UnsafeStatementSyntax node)
        {
            Add(node, Unsafe, "unsafe block: not supported by nanoFramework by design");
            base.VisitUnsafeStatement(node);
        }

        public override void VisitFixedStatement(FixedStatementSyntax node)
        {
            Add(node, Unsafe, "fixed statement: not supported by nanoFramework by design");
            base.VisitFixedStatement(node);
        }

        public override void VisitClassDeclaration(ClassDeclarationSyntax node)
        {
            CheckUnsafeModifier(node.Modifiers);
            base.VisitClassDeclaration(node);
        }

        public override void VisitStructDeclaration(StructDeclarationSyntax node)
        {
            CheckUnsafeModifier(node.Modifiers);
            base.VisitStructDeclaration(node);
        }

        public override void VisitArrayRankSpecifier(ArrayRankSpecifierSyntax node)
        {
            if (node.Rank > 1)
                Add(node, MultiDimArray, "multidimensional array: nanoFramework supports jagged arrays only (T[][])");
            base.VisitArrayRankSpecifier(node);
        }

        public override void VisitRecordDeclaration(RecordDeclarationSyntax node)
        {
            Add(node.Identifier, Record, "record: not supported on nanoFramework 1.x; write a class with explicit members");
            base.VisitRecordDeclaration(node);
        }

        public override void VisitCheckedExpression(CheckedExpressionSyntax node)
        {
            if (node.IsKind(SyntaxKind.CheckedExpression))
                Add(node, Checked, "checked(...) does not throw on nanoFramework (add.ovf is executed as add): check the bound explicitly");
            base.VisitCheckedExpression(node);
        }

        public override void VisitCheckedStatement(CheckedStatementSyntax node)
        {
            if (node.IsKind(SyntaxKind.CheckedStatement))
                Add(node, Checked, "checked { } does not throw on nanoFramework (add.ovf is executed as add): check the bound explicitly");
            base.VisitCheckedStatement(node);
        }

        public override void VisitNullableType(NullableTypeSyntax node)
        {
            var type = model.GetTypeInfo(node.ElementType).Type;
            if (type is null || type.IsValueType)
                Add(node, NullableValue, "nullable value type (T?): Nullable<T> is generic and absent from nanoFramework 1.x; use a flag or a sentinel");
            base.VisitNullableType(node);
        }

        public override void VisitRangeExpression(RangeExpressionSyntax node)
        {
            Add(node, RangeIndex, "range expression (a..b): System.Range is not in nanoFramework 1.x");
            base.VisitRangeExpression(node);
        }

        public override void VisitPrefixUnaryExpression(PrefixUnaryExpressionSyntax node)
        {
            if (node.IsKind(SyntaxKind.IndexExpression))
                Add(node, RangeIndex, "index from end (^n): System.Index is not in nanoFramework 1.x");
            base.VisitPrefixUnaryExpression(node);
        }
    }
}

using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace SecureOta.NanoGate;

/// <summary>
/// The IL and metadata pass: reads the assembly the gate compiled for a device project (with its portable
/// PDB for source locations) and finds what the 1.x MetadataProcessor refuses to convert or the nanoCLR
/// cannot execute, whatever C# produced it (compiler-generated code included). Facts, each with its source:
/// - metadata-processor v3.0.100 MetadataProcessor.Shared/Tables/nanoTypeSpecificationsTable.cs:78-82:
///   a TypeSpec of an array with rank &gt; 1 is refused ("doesn't have support for multidimensional arrays").
/// - metadata-processor v3.0.100 MetadataProcessor.Shared/nanoAssemblyBuilder.cs:751-756: a local of a
///   pointer type is refused ("Pointer types in unsafe code aren't supported").
/// - metadata-processor v3.0.100 MetadataProcessor.Shared/Tables/nanoTypeDefinitionTable.cs:274-286: more than
///   255 virtual, 255 instance or 255 static methods in one type is a fatal error (each count is a byte).
/// - metadata-processor v3.0.100 MetadataProcessor.Shared/Tables/nanoByteCodeTable.cs:85-88: the byte code of
///   an assembly must fit in 65535 bytes (method RVAs are 16-bit); CodeWriter.cs writes string, method, type
///   and field tokens as 2 bytes, InlineTok as 4.
/// - nf-interpreter v1.9.0 src/CLR/Core/Interpreter.cpp:3409-3423 ("Unsupported opcodes"): arglist, cpblk, jmp,
///   initblk, calli, ckfinite, localloc, mkrefany, refanytype, refanyval and readonly. fail with
///   CLR_Checks::VerifyUnsupportedInstruction.
/// - nanoFramework 1.x has no generics (shared/reference/nanoframework.md): the 1.x MetadataProcessor accepts
///   generic instantiations silently and they then fail on the device (issue 11), so any generic parameter,
///   generic instantiation (TypeSpec) or MethodSpec is refused here.
/// </summary>
public static class IlRules
{
    public const string MultiDimArray = "NANO040";
    public const string Pointer = "NANO041";
    public const string MethodCount = "NANO042";
    public const string Generic = "NANO043";
    public const string UnsupportedOpcode = "NANO044";
    public const string ByteCodeSize = "NANO045";

    public const int MaxMethodsPerKind = 255;
    public const int MaxByteCode = 65535;

    public static readonly ImmutableHashSet<ILOpCode> Unsupported =
    [
        ILOpCode.Arglist, ILOpCode.Cpblk, ILOpCode.Jmp, ILOpCode.Initblk, ILOpCode.Calli, ILOpCode.Ckfinite,
        ILOpCode.Localloc, ILOpCode.Mkrefany, ILOpCode.Refanytype, ILOpCode.Refanyval, ILOpCode.Readonly,
    ];

    public static List<(string File, int Line, string Code, string Message)> Check(byte[] image, byte[] pdb, string fallbackFile)
    {
        var findings = new List<(string, int, string, string)>();
        using var pe = new PEReader(ImmutableArray.Create(image));
        var md = pe.GetMetadataReader();
        using var pdbProvider = MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(pdb));
        var debug = pdbProvider.GetMetadataReader();

        (string, int) Where(MethodDefinitionHandle method, int ilOffset)
        {
            if (method.IsNil) return (fallbackFile, 1);
            var info = debug.GetMethodDebugInformation(method.ToDebugInformationHandle());
            // The last visible sequence point at or before the offset; else the method's first one.
            SequencePoint? best = null, first = null;
            foreach (var sp in info.GetSequencePoints())
            {
                if (sp.IsHidden) continue;
                first ??= sp;
                if (sp.Offset <= ilOffset) best = sp;
            }
            best ??= first;
            if (best is null) return (fallbackFile, 1);
            return (debug.GetString(debug.GetDocument(best.Value.Document).Name), best.Value.StartLine);
        }

        void Add((string File, int Line) at, string code, string message) => findings.Add((at.File, at.Line, code, message));

        var provider = new ShapeProvider();
        foreach (var th in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(th);
            var typeName = TypeName(md, type);
            var methods = type.GetMethods().ToList();
            var firstMethod = methods.Count > 0 ? methods[0] : default;
            if (type.GetGenericParameters().Count > 0)
                Add(Where(firstMethod, 0), Generic, $"type {typeName} is generic: nanoFramework 1.x has no generics");

            int virtuals = 0, instances = 0, statics = 0;
            foreach (var mh in methods)
            {
                var method = md.GetMethodDefinition(mh);
                var name = typeName + "::" + md.GetString(method.Name);
                if ((method.Attributes & MethodAttributes.Static) != 0) statics++;
                else if ((method.Attributes & MethodAttributes.Virtual) != 0) virtuals++;
                else instances++;
                if (method.GetGenericParameters().Count > 0)
                    Add(Where(mh, 0), Generic, $"method {name} is generic: nanoFramework 1.x has no generics");
                var shape = method.DecodeSignature(provider, null);
                ReportShape(shape.ReturnType, Where(mh, 0), $"the signature of {name}");
                foreach (var p in shape.ParameterTypes) ReportShape(p, Where(mh, 0), $"the signature of {name}");
                if (method.RelativeVirtualAddress == 0) continue;
                var body = pe.GetMethodBody(method.RelativeVirtualAddress);
                if (!body.LocalSignature.IsNil)
                {
                    var locals = md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null);
                    foreach (var l in locals) ReportShape(l, Where(mh, 0), $"a local of {name}");
                }
                foreach (var (offset, op) in Opcodes(body.GetILReader()))
                    if (Unsupported.Contains(op))
                        Add(Where(mh, offset), UnsupportedOpcode, $"IL opcode {OpName(op)} in {name}: the nanoCLR does not implement it (VerifyUnsupportedInstruction)");
            }

            foreach (var fh in type.GetFields())
            {
                var field = md.GetFieldDefinition(fh);
                ReportShape(field.DecodeSignature(provider, null), Where(firstMethod, 0), $"field {typeName}::{md.GetString(field.Name)}");
            }

            if (virtuals > MaxMethodsPerKind || instances > MaxMethodsPerKind || statics > MaxMethodsPerKind)
                Add(Where(firstMethod, 0), MethodCount,
                    $"type {typeName} has {virtuals} virtual, {instances} instance and {statics} static methods; the MetadataProcessor allows at most {MaxMethodsPerKind} of each: split the type");
        }

        for (int row = 1; row <= md.GetTableRowCount(TableIndex.TypeSpec); row++)
            ReportShape(md.GetTypeSpecification(MetadataTokens.TypeSpecificationHandle(row)).DecodeSignature(provider, null),
                (fallbackFile, 1), "a type used by the code");
        if (md.GetTableRowCount(TableIndex.MethodSpec) > 0)
            Add((fallbackFile, 1), Generic, $"{md.GetTableRowCount(TableIndex.MethodSpec)} generic method instantiation(s): nanoFramework 1.x has no generics");

        var byteCode = 0;
        foreach (var mh in md.MethodDefinitions)
        {
            var method = md.GetMethodDefinition(mh);
            if (method.RelativeVirtualAddress != 0) byteCode += NanoByteCodeLength(pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader());
        }
        if (byteCode > MaxByteCode)
            Add((fallbackFile, 1), ByteCodeSize, $"the assembly's byte code is {byteCode} bytes; the MetadataProcessor's byte code table holds {MaxByteCode}: split the project");
        return findings;

        void ReportShape(Shape shape, (string, int) at, string what)
        {
            if (shape.MultiDimArray) Add(at, MultiDimArray, $"{what} uses a multidimensional array ({shape.Text}): the MetadataProcessor refuses it; use jagged arrays");
            if (shape.Pointer) Add(at, Pointer, $"{what} uses a pointer type ({shape.Text}): not supported by nanoFramework");
            if (shape.Generic) Add(at, Generic, $"{what} uses a generic type ({shape.Text}): nanoFramework 1.x has no generics");
        }
    }

    private static string TypeName(MetadataReader md, TypeDefinition type)
    {
        var ns = md.GetString(type.Namespace);
        var name = md.GetString(type.Name);
        return ns.Length > 0 ? ns + "." + name : name;
    }

    private static string OpName(ILOpCode op) => op.ToString().ToLowerInvariant();

    /// <summary>Each opcode of a method body with its IL offset.</summary>
    public static IEnumerable<(int Offset, ILOpCode Op)> Opcodes(BlobReader il)
    {
        while (il.RemainingBytes > 0)
        {
            int offset = il.Offset;
            var op = ReadOpCode(ref il);
            SkipOperand(ref il, op);
            yield return (offset, op);
        }
    }

    private static ILOpCode ReadOpCode(ref BlobReader il)
    {
        byte b = il.ReadByte();
        return b == 0xFE ? (ILOpCode)(0xFE00 | il.ReadByte()) : (ILOpCode)b;
    }

    // ECMA-335 partition III: the operand size of each opcode (switch has a count-prefixed table).
    private static int OperandSize(ILOpCode op, ref BlobReader il)
    {
        switch (op)
        {
            case ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldloc_s or ILOpCode.Ldloca_s
                or ILOpCode.Stloc_s or ILOpCode.Ldc_i4_s or ILOpCode.Unaligned
                or ILOpCode.Br_s or ILOpCode.Brfalse_s or ILOpCode.Brtrue_s or ILOpCode.Beq_s or ILOpCode.Bge_s
                or ILOpCode.Bgt_s or ILOpCode.Ble_s or ILOpCode.Blt_s or ILOpCode.Bne_un_s or ILOpCode.Bge_un_s
                or ILOpCode.Bgt_un_s or ILOpCode.Ble_un_s or ILOpCode.Blt_un_s or ILOpCode.Leave_s:
                return 1;
            case ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc:
                return 2;
            case ILOpCode.Ldc_i8 or ILOpCode.Ldc_r8:
                return 8;
            case ILOpCode.Switch:
                return 4 * il.ReadInt32();
            default:
                return op.IsBranch() || IsFourByteOperand(op) ? 4 : 0;
        }
    }

    private static bool IsFourByteOperand(ILOpCode op) => op is
        ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4 or ILOpCode.Jmp or ILOpCode.Call or ILOpCode.Calli or ILOpCode.Callvirt
        or ILOpCode.Newobj or ILOpCode.Ldftn or ILOpCode.Ldvirtftn or ILOpCode.Ldstr or ILOpCode.Ldtoken
        or ILOpCode.Ldfld or ILOpCode.Ldflda or ILOpCode.Stfld or ILOpCode.Ldsfld or ILOpCode.Ldsflda or ILOpCode.Stsfld
        or ILOpCode.Cpobj or ILOpCode.Ldobj or ILOpCode.Stobj or ILOpCode.Castclass or ILOpCode.Isinst or ILOpCode.Unbox
        or ILOpCode.Unbox_any or ILOpCode.Box or ILOpCode.Newarr or ILOpCode.Ldelema or ILOpCode.Ldelem or ILOpCode.Stelem
        or ILOpCode.Refanyval or ILOpCode.Mkrefany or ILOpCode.Initobj or ILOpCode.Constrained or ILOpCode.Sizeof;

    // Operands the MetadataProcessor's CodeWriter writes as 16-bit table ids instead of 32-bit tokens.
    private static bool IsShortenedToken(ILOpCode op) => IsFourByteOperand(op) && op is not
        (ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4 or ILOpCode.Ldtoken or ILOpCode.Calli);

    private static void SkipOperand(ref BlobReader il, ILOpCode op)
    {
        int size = OperandSize(op, ref il);
        il.Offset += size;
    }

    /// <summary>The length of a body in nanoFramework byte code (tokens shortened to 2 bytes).</summary>
    public static int NanoByteCodeLength(BlobReader il)
    {
        int length = 0;
        while (il.RemainingBytes > 0)
        {
            int start = il.Offset;
            var op = ReadOpCode(ref il);
            SkipOperand(ref il, op);
            length += il.Offset - start - (IsShortenedToken(op) ? 2 : 0);
        }
        return length;
    }

    /// <summary>What a decoded signature contains, for the rules above.</summary>
    public readonly record struct Shape(string Text, bool MultiDimArray, bool Pointer, bool Generic)
    {
        public static Shape Of(string text) => new(text, false, false, false);
        public Shape With(string text, bool multiDim = false, bool pointer = false, bool generic = false) =>
            new(text, MultiDimArray || multiDim, Pointer || pointer, Generic || generic);
    }

    private sealed class ShapeProvider : ISignatureTypeProvider<Shape, object?>
    {
        public Shape GetPrimitiveType(PrimitiveTypeCode typeCode) => Shape.Of(typeCode.ToString());
        public Shape GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            Shape.Of(reader.GetString(reader.GetTypeDefinition(handle).Name));
        public Shape GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) =>
            Shape.Of(reader.GetString(reader.GetTypeReference(handle).Name));
        public Shape GetTypeFromSpecification(MetadataReader reader, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, context);
        public Shape GetSZArrayType(Shape elementType) => elementType.With(elementType.Text + "[]");
        public Shape GetArrayType(Shape elementType, ArrayShape shape) =>
            elementType.With(elementType.Text + "[" + new string(',', shape.Rank - 1) + "]", multiDim: true);
        public Shape GetByReferenceType(Shape elementType) => elementType.With(elementType.Text + "&");
        public Shape GetPointerType(Shape elementType) => elementType.With(elementType.Text + "*", pointer: true);
        public Shape GetFunctionPointerType(MethodSignature<Shape> signature) => Shape.Of("delegate*").With("delegate*", pointer: true);
        public Shape GetGenericInstantiation(Shape genericType, ImmutableArray<Shape> typeArguments)
        {
            var result = genericType.With(genericType.Text + "<" + string.Join(",", typeArguments.Select(t => t.Text)) + ">", generic: true);
            foreach (var t in typeArguments) result = result.With(result.Text, t.MultiDimArray, t.Pointer, t.Generic);
            return result;
        }
        public Shape GetGenericMethodParameter(object? context, int index) => Shape.Of("!!" + index).With("!!" + index, generic: true);
        public Shape GetGenericTypeParameter(object? context, int index) => Shape.Of("!" + index).With("!" + index, generic: true);
        public Shape GetModifiedType(Shape modifier, Shape unmodifiedType, bool isRequired) => unmodifiedType;
        public Shape GetPinnedType(Shape elementType) => elementType.With(elementType.Text + " pinned", pointer: true);
    }
}

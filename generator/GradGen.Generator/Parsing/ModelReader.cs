using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using GradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GradGen.Generator;

/// <summary>
/// Reads a model type's members (and, transitively, its layers' types) into <see cref="ModelType"/>s: which members are
/// parameters, of what kind, under which saved name; and what cannot be a parameter, as diagnostics on the member.
/// </summary>
internal sealed class ModelReader
{
    /// <summary>A model type as the parser needs it: its spec, and each parameter member's kind and (for layers) type.</summary>
    internal sealed record Info(ModelType Spec, Dictionary<string, (ModelMember Member, INamedTypeSymbol? Layer)> Members);

    private readonly Dictionary<INamedTypeSymbol, Info> _read = new(SymbolEqualityComparer.Default);
    private readonly CancellationToken _cancellation;

    private ModelReader(CancellationToken cancellation) => _cancellation = cancellation;

    /// <summary>The model <paramref name="root"/> and every layer type it holds, transitively, the root first.</summary>
    public static IReadOnlyDictionary<INamedTypeSymbol, Info> Read(INamedTypeSymbol root, CancellationToken cancellation)
    {
        var reader = new ModelReader(cancellation);
        reader.ReadType(root, null);
        return reader._read;
    }

    private Info ReadType(INamedTypeSymbol type, NumType? expected)
    {
        if (_read.TryGetValue(type, out var known)) return known;
        var diagnostics = new List<DiagnosticInfo>();
        var members = new Dictionary<string, (ModelMember, INamedTypeSymbol?)>();
        var specs = new List<ModelMember>();
        NumType? number = null;
        // Registered before its members are read: a layer that holds its parent (a cycle) finds it and stops there.
        var info = new Info(null!, members);
        _read[type] = info;

        void Problem(ISymbol member, string reason) =>
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedModelMember, member.Locations.FirstOrDefault(), member.Name, type.Name, reason));

        foreach (var taken in type.GetMembers("Gradient").Where(m => !m.IsImplicitlyDeclared))
        {
            Problem(taken, "GradGen names the model's gradient type 'Gradient'; rename this member");
        }
        foreach (var member in type.GetMembers())
        {
            _cancellation.ThrowIfCancellationRequested();
            var (memberType, isField) = member switch
            {
                IFieldSymbol { IsStatic: false, IsConst: false, IsImplicitlyDeclared: false } field => (field.Type, true),
                IPropertySymbol { IsStatic: false, IsIndexer: false, IsImplicitlyDeclared: false } property => (property.Type, false),
                _ => (null, false),
            };
            if (memberType is null || member.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == Parser.NoDerivativeAttribute)) continue;

            var kind = KindOf(memberType, out var layer, out var count);
            if (kind is null && memberType.AllInterfaces.Any(i => i.OriginalDefinition.ToDisplayString() == "GradGen.IModel<T, TGradient>"))
            {
                Problem(member, $"its type '{memberType.Name}' is a model of another project, and a model's layers are declared in its own project (yet); mark it [NoDerivative] or declare the layer here");
                continue;
            }
            if (kind is null)
            {
                Problem(member, $"its type '{memberType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}' is not a number, a matrix, an array of them or a model (a layer type, or an array or IReadOnlyList of layers); mark it [NoDerivative] if it is configuration or state");
                continue;
            }
            if (!isField && !IsAutoProperty((IPropertySymbol)member))
            {
                Problem(member, "it is a computed property, which an optimizer cannot update; make it a field or an auto-property, or mark it [NoDerivative]");
                continue;
            }
            if (kind == MemberKind.Number)
            {
                var why = !isField ? "it is a number property: an optimizer updates numbers through fields; make it a field"
                    : ((IFieldSymbol)member).IsReadOnly ? "it is a readonly number field, which an optimizer cannot update; remove 'readonly'"
                    : type.IsValueType ? "it is a number in a struct, which an update through a copy would lose; make the model a class, or the number a 1×1 matrix"
                    : null;
                if (why is not null)
                {
                    Problem(member, why);
                    continue;
                }
            }
            NumType? memberNumber = kind is MemberKind.Model or MemberKind.Models ? null : Parser.TypeOf(memberType)!.Value.Element();
            if (layer is not null)
            {
                if (LayerProblem(layer) is { } why)
                {
                    Problem(member, why);
                    continue;
                }
                memberNumber = ReadType(layer, number ?? expected).Spec?.Number;
            }
            if (memberNumber is { } n && number is { } m && n != m)
            {
                Problem(member, $"its numbers are {n.Keyword()} and the model's other parameters are {m.Keyword()}: a model has one number type");
                continue;
            }
            number ??= memberNumber;
            var spec = new ModelMember(member.Name, SavedName(member.Name), kind.Value, layer is null ? null : Parser.Qualified(layer), count);
            specs.Add(spec);
            members[member.Name] = (spec, layer);
        }

        var result = new Info(new ModelType(HintName(type), type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            ContainingTypes(type).ToEquatableArray(), Parser.Qualified(type), number ?? expected ?? NumType.Double, specs.ToEquatableArray(), diagnostics.ToEquatableArray()), members);
        _read[type] = result;
        return result;
    }

    /// <summary>Why a layer type cannot be a model, or null.</summary>
    internal static string? LayerProblem(INamedTypeSymbol layer)
    {
        if (layer.IsGenericType) return $"its type '{layer.Name}' is generic, and generic models are not supported; use a non-generic layer type";
        for (var t = layer; t is not null; t = t.ContainingType)
        {
            var partial = t.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().Any(d => d.Modifiers.Any(SyntaxKind.PartialKeyword));
            if (!partial) return $"its type '{t.Name}' must be 'partial': GradGen adds the model's Gradient type to it";
        }
        return null;
    }

    private static bool IsAutoProperty(IPropertySymbol property) =>
        property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));

    /// <summary>What a member of <paramref name="type"/> holds, or null if it cannot be a parameter.</summary>
    private static MemberKind? KindOf(ITypeSymbol type, out INamedTypeSymbol? layer, out string count)
    {
        layer = null;
        count = "Length";
        switch (Parser.TypeOf(type))
        {
            case NumType.Double or NumType.Float: return MemberKind.Number;
            case NumType.DoubleArray or NumType.FloatArray: return MemberKind.Numbers;
            case NumType.MatrixDouble or NumType.MatrixFloat: return MemberKind.Matrix;
            case NumType.MatrixDoubleArray or NumType.MatrixFloatArray: return MemberKind.Matrices;
            case not null: return null;   // integers and labels: configuration or data
        }
        switch (type)
        {
            case IArrayTypeSymbol { Rank: 1, ElementType: var item } when IsLayer(item):
                layer = (INamedTypeSymbol)item;
                return MemberKind.Models;
            case INamedTypeSymbol { TypeArguments.Length: 1 } list when list.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.IReadOnlyList<T>" or "System.Collections.Generic.List<T>" or "System.Collections.Generic.IList<T>"
                && IsLayer(list.TypeArguments[0]):
                layer = (INamedTypeSymbol)list.TypeArguments[0];
                count = "Count";
                return MemberKind.Models;
            case var named when IsLayer(named):
                layer = (INamedTypeSymbol)named;
                return MemberKind.Model;
            default:
                return null;
        }
    }

    /// <summary>A class, struct or record declared in source: a layer, if its members are parameters.</summary>
    internal static bool IsLayer(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, IsStatic: false } named && named.Locations.Any(l => l.IsInSource);

    /// <summary>PyTorch's convention for a member's name: snake_case (<c>W1</c> → <c>w1</c>, <c>OutputLayer</c> → <c>output_layer</c>, <c>HTTPCache</c> → <c>http_cache</c>).</summary>
    internal static string SavedName(string name)
    {
        name = name.TrimStart('@', '_');
        var saved = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])))
            {
                saved.Append('_');
            }
            saved.Append(char.ToLowerInvariant(c));
        }
        return saved.ToString();
    }

    private static IEnumerable<ContainingType> ContainingTypes(INamedTypeSymbol type)
    {
        var types = new List<ContainingType>();
        for (var t = type; t is not null; t = t.ContainingType)
        {
            var declaration = t.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().FirstOrDefault();
            var keyword = declaration is null ? t.IsValueType ? "struct" : "class" : Parser.Keyword(declaration);
            var typeParameters = t.TypeParameters.Length > 0 ? "<" + string.Join(", ", t.TypeParameters.Select(p => p.Name)) + ">" : "";
            types.Insert(0, new ContainingType(keyword, t.Name + typeParameters));
        }
        return types;
    }

    // A method's file is Type.Method.g.cs, or Type.Method-types.g.cs for overloads, whose types never spell "type".
    private static string HintName(INamedTypeSymbol type) => Parser.TypePath(type) + ".Gradient-type.g.cs";
}

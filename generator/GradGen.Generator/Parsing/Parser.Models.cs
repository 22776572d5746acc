using System.Collections.Generic;
using System.Linq;
using GradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GradGen.Generator;

/// <summary>
/// A model's method: its members are parameters the method reads through <c>this</c> (each becomes a parameter of the
/// model, read from the instance, its adjoint a field of the gradient), and its layers' methods are calls.
/// </summary>
internal sealed partial class Parser
{
    /// <summary>The model types the method's type holds, transitively (its own first); null for a static method.</summary>
    private IReadOnlyDictionary<INamedTypeSymbol, ModelReader.Info>? _models;

    /// <summary>The parameters read from members, by path (<c>Hidden.Weight</c>), in the order the method first reads them.</summary>
    private readonly Dictionary<string, Parameter> _members = [];

    /// <summary>The pullback's gradient parameter, which adjoints of members are fields of.</summary>
    private string? _gradient;

    /// <summary>A member of the model the expression names: <c>W1</c>, <c>this.W1</c>, <c>Hidden.Weight</c>; with the model type that declares it.</summary>
    private (string Path, ModelReader.Info Owner, ISymbol Symbol)? MemberOf(ExpressionSyntax expression)
    {
        if (_models is null) return null;
        switch (expression)
        {
            case IdentifierNameSyntax when _semantics.GetSymbolInfo(expression, _cancellation).Symbol is { IsStatic: false } symbol and (IFieldSymbol or IPropertySymbol)
                && SymbolEqualityComparer.Default.Equals(symbol.ContainingType, _method.ContainingType):
                return (symbol.Name, _models[_method.ContainingType], symbol);
            case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access:
                return MemberOf(access.Name);
            case MemberAccessExpressionSyntax access when MemberOf(access.Expression) is { } outer
                && outer.Owner.Members.TryGetValue(outer.Symbol.Name, out var layer) && layer.Member.Kind == MemberKind.Model
                && _semantics.GetSymbolInfo(access, _cancellation).Symbol is { IsStatic: false } inner and (IFieldSymbol or IPropertySymbol):
                return (outer.Path + "." + inner.Name, _models[layer.Layer!], inner);
            default:
                return null;
        }
    }

    /// <summary>
    /// The value of a model member the method reads: a parameter (<c>W1</c>), a [NoDerivative] member as data, or the
    /// number of layers in an array of them (<c>Layers.Length</c>); null if the expression names none (nothing reported),
    /// or after reporting a member GradGen does not read.
    /// </summary>
    private Value? VisitMember(ExpressionSyntax expression, out bool isMember)
    {
        isMember = true;
        if (expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Length" or "Count" } count && MemberOf(count.Expression) is { } list
            && list.Owner.Members.TryGetValue(list.Symbol.Name, out var layers) && layers.Member.Kind == MemberKind.Models)
        {
            return MemberParameter(list.Path + "." + layers.Member.Count, NumType.Int, differentiated: false);
        }
        if (MemberOf(expression) is not { } member)
        {
            isMember = false;
            return null;
        }
        // (A layer is not a value: Visit reports its type before asking; layers are used through their methods' calls.)
        if (member.Owner.Members.ContainsKey(member.Symbol.Name)) return MemberParameter(member.Path, TypeOf(TypeOfMember(member.Symbol))!.Value, differentiated: true);
        // Not a parameter: a [NoDerivative] member of a type GradGen reads is data; anything else was reported on the member.
        if (TypeOf(TypeOfMember(member.Symbol)) is { } type) return MemberParameter(member.Path, type, differentiated: false);
        Report(DiagnosticDescriptors.UnsupportedExpression, expression, $"the member '{expression}'", "a model's method reads its parameters, and [NoDerivative] numbers, matrices and arrays of them");
        return null;
    }

    private static ITypeSymbol TypeOfMember(ISymbol member) => member is IFieldSymbol field ? field.Type : ((IPropertySymbol)member).Type;

    private Value MemberParameter(string path, NumType type, bool differentiated)
    {
        if (!_members.TryGetValue(path, out var parameter))
        {
            _members[path] = parameter = new Parameter(_names.Fresh(path.Replace('.', '_')), type, differentiated && type.IsDifferentiable(), path);
        }
        return new Value(Operand.Var(parameter.Name), parameter.Type);
    }

    /// <summary>
    /// The model a call of a model's method is made on: the model itself (<c>Logits(x)</c>, <c>this.Logits(x)</c>), a layer
    /// (<c>Hidden.Forward(h)</c>) or an item of an array of layers (<c>Layers[i].Forward(h)</c>); null after reporting another.
    /// </summary>
    private Receiver? ReceiverOf(InvocationExpressionSyntax invocation, IMethodSymbol callee)
    {
        var target = invocation.Expression switch
        {
            IdentifierNameSyntax => null,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } => null,
            MemberAccessExpressionSyntax access => access.Expression,
            _ => invocation.Expression,
        };
        if (target is null && _models is not null && SymbolEqualityComparer.Default.Equals(callee.ContainingType, _method.ContainingType)) return new Receiver("", null);
        if (target is not null && MemberOf(target) is { } layer && layer.Owner.Members.TryGetValue(layer.Symbol.Name, out var member) && member.Member.Kind == MemberKind.Model)
        {
            return new Receiver(layer.Path, null);
        }
        if (target is ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } item && MemberOf(item.Expression) is { } list
            && list.Owner.Members.TryGetValue(list.Symbol.Name, out var layers) && layers.Member.Kind == MemberKind.Models)
        {
            return Visit(item.ArgumentList.Arguments[0].Expression, null) is { } index ? new Receiver(list.Path, index.Operand) : null;
        }
        Report(DiagnosticDescriptors.UnsupportedExpression, invocation, $"the call of '{callee.ContainingType.Name}.{callee.Name}' on '{target ?? invocation.Expression}'",
            "a model's [Differentiable] method is called on the model itself (Logits(x)), on a layer it holds (Hidden.Forward(x)) or on an item of its array of layers (Layers[i].Forward(x))");
        return null;
    }
}

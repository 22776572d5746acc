using System.Collections.Generic;
using System.Linq;
using GradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GradGen.Generator;

/// <summary>
/// Models a method reads: <c>this</c> for a model's (instance) method, and its parameters of a model type. Their members
/// are parameters the method reads (each becomes a parameter of the method, read from the model, its adjoint a field of
/// the model's gradient), and their layers' methods are calls.
/// </summary>
internal sealed partial class Parser
{
    /// <summary>The model types the method reads, transitively (their layers' types too); null when it reads none.</summary>
    private Dictionary<INamedTypeSymbol, ModelReader.Info>? _models;

    /// <summary>The models the method reads, by root (<c>this</c>, or a parameter's name), with their types.</summary>
    private readonly Dictionary<string, (ModelRoot Root, INamedTypeSymbol Type)> _roots = [];

    /// <summary>What <c>this</c> is where the parser reads: the model of an instance method (<c>this</c>), or the model or layer whose method is being read in place (<c>this.Hidden</c>).</summary>
    private (string Path, INamedTypeSymbol Type)? _self;

    /// <summary>The parameters read from members, by path (<c>this.Hidden.Weight</c>), in the order the method first reads them.</summary>
    private readonly Dictionary<string, Parameter> _members = [];

    /// <summary>Whether <paramref name="type"/> can be a model a static method takes (a partial, non-generic class, struct or record in source).</summary>
    private static bool IsModelType(ITypeSymbol type) => ModelReader.IsLayer(type) && ModelReader.LayerProblem((INamedTypeSymbol)type) is null;

    /// <summary>Reads the models of <c>this</c> (for an instance method) and of the model-typed parameters.</summary>
    private void ReadModels()
    {
        void Add(string root, INamedTypeSymbol type, string gradient)
        {
            _roots[root] = (new ModelRoot(root, Qualified(type), gradient), type);
            _models ??= new(SymbolEqualityComparer.Default);
            foreach (var pair in ModelReader.Read(type, _cancellation)) _models[pair.Key] = pair.Value;
        }
        if (!_method.IsStatic)
        {
            Add(ModelRoot.This, _method.ContainingType, _names.Fresh("gradient"));
            _self = (ModelRoot.This, _method.ContainingType);
        }
        foreach (var parameter in _method.Parameters.Where(p => IsModelType(p.Type)))
        {
            Add(Identifier(parameter.Name), (INamedTypeSymbol)parameter.Type, _names.Fresh("dL_d" + parameter.Name));
        }
    }

    /// <summary>The model an expression names, as a path: <c>this</c> (or the layer read in place), or a parameter of a model type.</summary>
    private (string Path, INamedTypeSymbol Type)? RootOf(ExpressionSyntax expression) => expression switch
    {
        ThisExpressionSyntax => _self,
        IdentifierNameSyntax when _inlined.Count == 0 && _semantics.GetSymbolInfo(expression, _cancellation).Symbol is IParameterSymbol parameter
            && _roots.TryGetValue(Identifier(parameter.Name), out var root) && SymbolEqualityComparer.Default.Equals(root.Type, parameter.Type) => (root.Root.Root, root.Type),
        _ => null,
    };

    /// <summary>
    /// A member of a model the expression names: <c>W1</c>, <c>this.W1</c>, <c>model.W1</c>, <c>Hidden.Weight</c>; its path from
    /// the model (<c>this.Hidden.Weight</c>) and the model type that declares it.
    /// </summary>
    private (string Path, ModelReader.Info Owner, ISymbol Symbol)? MemberOf(ExpressionSyntax expression)
    {
        if (_models is null) return null;
        var symbol = _semantics.GetSymbolInfo(expression, _cancellation).Symbol;
        if (symbol is not ({ IsStatic: false } and (IFieldSymbol or IPropertySymbol))) return null;
        switch (expression)
        {
            case IdentifierNameSyntax when _self is { } self && SymbolEqualityComparer.Default.Equals(symbol.ContainingType, self.Type):
                return (self.Path + "." + symbol.Name, _models[self.Type], symbol);
            case MemberAccessExpressionSyntax access when RootOf(access.Expression) is { } root && SymbolEqualityComparer.Default.Equals(symbol.ContainingType, root.Type):
                return (root.Path + "." + symbol.Name, _models[root.Type], symbol);
            case MemberAccessExpressionSyntax access when MemberOf(access.Expression) is { } outer
                && outer.Owner.Members.TryGetValue(outer.Symbol.Name, out var layer) && layer.Member.Kind == MemberKind.Model:
                return (outer.Path + "." + symbol.Name, _models[layer.Layer!], symbol);
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
            var hint = path.StartsWith(ModelRoot.This + ".", System.StringComparison.Ordinal) ? path.Substring(ModelRoot.This.Length + 1) : path;
            _members[path] = parameter = new Parameter(_names.Fresh(hint.Replace('.', '_').TrimStart('@')), type, differentiated && type.IsDifferentiable(), path);
        }
        return new Value(Operand.Var(parameter.Name), parameter.Type);
    }

    /// <summary>
    /// The model a call of a model's method is made on: the model itself (<c>Logits(x)</c>, <c>this.Logits(x)</c>,
    /// <c>model.Logits(x)</c>), a layer (<c>Hidden.Forward(h)</c>) or an item of an array of layers (<c>Layers[i].Forward(h)</c>);
    /// null after reporting another.
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
        bool Declares(INamedTypeSymbol type) => SymbolEqualityComparer.Default.Equals(callee.ContainingType, type);
        if (target is null && _self is { } self && Declares(self.Type)) return new Receiver(self.Path, null);
        if (target is not null && RootOf(target) is { } root && Declares(root.Type)) return new Receiver(root.Path, null);
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

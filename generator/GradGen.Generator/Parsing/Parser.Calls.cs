using System;
using System.Collections.Generic;
using System.Linq;
using GradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GradGen.Generator;

/// <summary>Calls: Math and Matrix functions through the rule table, the user's methods through their pullbacks.</summary>
internal sealed partial class Parser
{
    private Value? VisitCall(InvocationExpressionSyntax invocation, NumType type, string? name)
    {
        var callee = _semantics.GetSymbolInfo(invocation, _cancellation).Symbol as IMethodSymbol;
        // Math and MathF, and the generic-math functions of double and float (double.Exp2, float.Sin), over numbers.
        var ruleName = callee switch
        {
            { IsStatic: true, ContainingType: var owner } when owner.ToDisplayString() is "System.Math" or "System.MathF"
                || owner.SpecialType is SpecialType.System_Double or SpecialType.System_Single =>
                callee.Parameters.All(p => TypeOf(p.Type) is NumType.Double or NumType.Float or NumType.Int) && TypeOf(callee.ReturnType) is not null ? callee.Name : null,
            { ContainingType: var owner } when owner.ToDisplayString() == MatrixFunctions => "Matrix." + callee.Name,
            _ => null,
        };
        if (ruleName == "Matrix.MatMul" && invocation.ArgumentList.Arguments.Count > 2)
        {
            Report(DiagnosticDescriptors.NoMatrixRule, invocation, "Matrix.MatMul with transposeA/transposeB",
                "write Matrix.MatMul(a, Matrix.Transpose(b)); the generated backward already uses transposed products without materializing them");
            return null;
        }
        if (callee is not null && ruleName is null && UserRule(callee) is { } user) return VisitUserCall(invocation, callee, user, type, name);
        if (callee is null || ruleName is null || !DerivativeRules.TryGet(ruleName, invocation.ArgumentList.Arguments.Count, out var rule))
        {
            if (ruleName is not null && ruleName.StartsWith("Matrix.", StringComparison.Ordinal))
            {
                Report(DiagnosticDescriptors.NoMatrixRule, invocation, ruleName,
                    "the differentiable matrix operations are the operators + - * / and Matrix." + string.Join(", ", DerivativeRules.MatrixFunctions.OrderBy(n => n, StringComparer.Ordinal)));
                return null;
            }
            var calleeName = callee is null ? invocation.Expression.ToString() : callee.ContainingType.Name + "." + callee.Name;
            Report(DiagnosticDescriptors.NoDerivativeRule, invocation, calleeName, MathFunctionList);
            return null;
        }
        return ArgumentsOf(invocation, callee, rule.Arity) is { } arguments ? Emit(rule.Op, type, name, arguments) : null;
    }

    private static string MathFunctionList => string.Join(", ", DerivativeRules.MathFunctions.OrderBy(n => n, StringComparer.Ordinal));

    /// <summary>
    /// The arguments' values in parameter order, named or positional, an omitted optional argument as its default value;
    /// null after reporting one that is missing or has no rule.
    /// </summary>
    private Value[]? ArgumentsOf(InvocationExpressionSyntax invocation, IMethodSymbol callee, int arity)
    {
        var arguments = new ExpressionSyntax?[arity];
        for (var i = 0; i < invocation.ArgumentList.Arguments.Count; i++)
        {
            var argument = invocation.ArgumentList.Arguments[i];
            var ordinal = argument.NameColon is { } named ? callee.Parameters.FirstOrDefault(p => p.Name == named.Name.Identifier.ValueText)?.Ordinal ?? arity : i;
            if (ordinal >= arity)
            {
                Report(DiagnosticDescriptors.NoDerivativeRule, invocation, callee.ContainingType.Name + "." + callee.Name + " with '" + argument + "'", MathFunctionList);
                return null;
            }
            arguments[ordinal] = argument.Expression;
        }
        var values = new Value[arity];
        for (var i = 0; i < arity; i++)
        {
            if (arguments[i] is { } syntax)
            {
                if (Visit(syntax, null) is not { } value) return null;
                values[i] = value;
            }
            else if (i < callee.Parameters.Length && callee.Parameters[i] is { HasExplicitDefaultValue: true, ExplicitDefaultValue: IConvertible and not (string or bool or char) } parameter
                && TypeOf(parameter.Type) is { } type)
            {
                values[i] = new Value(Operand.Const(System.Convert.ToDouble(parameter.ExplicitDefaultValue, System.Globalization.CultureInfo.InvariantCulture)), type);
            }
            else
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, invocation, $"the call '{invocation}'", "pass every argument that has no numeric default value");
                return null;
            }
        }
        return values;
    }

    /// <summary>How a call of a user's method is differentiated: through a pullback, or not at all (a constant).</summary>
    private enum UserRuleKind { Differentiable, CustomPullback, NoDerivative }

    private static UserRuleKind? UserRule(IMethodSymbol callee)
    {
        foreach (var attribute in callee.GetAttributes())
        {
            switch (attribute.AttributeClass?.ToDisplayString())
            {
                case CustomPullbackAttribute: return UserRuleKind.CustomPullback;
                case NoDerivativeAttribute: return UserRuleKind.NoDerivative;
            }
        }
        return callee.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == GradientGenerator.DifferentiableAttribute) ? UserRuleKind.Differentiable : null;
    }

    /// <summary>
    /// A call of a [Differentiable], [CustomPullback] or [NoDerivative] method: the backward calls the callee's
    /// pullback (generated, or the user's), which adds to the adjoint of each argument it differentiates.
    /// </summary>
    private Value? VisitUserCall(InvocationExpressionSyntax invocation, IMethodSymbol callee, UserRuleKind kind, NumType type, string? name)
    {
        var display = callee.ContainingType.Name + "." + callee.Name;
        var parameterTypes = callee.Parameters.Select(p => p.RefKind == RefKind.None ? TypeOf(p.Type) : null).ToList();
        // A model's method called on the model, a layer or an item of an array of layers.
        Receiver? receiver = null;
        if (!callee.IsStatic && kind == UserRuleKind.Differentiable && _models is not null && (receiver = ReceiverOf(invocation, callee)) is null) return null;
        // (A static method taking a model is not called: its model argument is no value GradGen reads.)
        if (!callee.IsStatic && receiver is null || callee.IsGenericMethod || TypeOf(callee.ReturnType) is not { } returned || parameterTypes.Any(t => t is null))
        {
            if (kind == UserRuleKind.Differentiable && callee.Locations.Any(l => l.IsInSource))
            {
                // The callee's own diagnostics say what is wrong with it.
                _hasCompilerErrors = true;
                return null;
            }
            Report(DiagnosticDescriptors.UnsupportedExpression, invocation, $"the call of '{display}'",
                "a called method must be static (or a model's method, called from its model's) and non-generic, and take and return only 'double', 'float', matrices or arrays of them");
            return null;
        }

        var differentiated = callee.Parameters.Select((p, i) => parameterTypes[i]!.Value.IsDifferentiable() && !HasNoDerivative(p)).ToList();
        var function = receiver is null ? Qualified(callee.ContainingType) + "." + Identifier(callee.Name) : Identifier(callee.Name);
        var (pullback, takesWorkspace) = kind switch
        {
            UserRuleKind.Differentiable => (function + "Pullback", true),
            UserRuleKind.CustomPullback => CustomRule(invocation, callee, Attribute(callee, CustomPullbackAttribute)!, BackwardSignature(callee, differentiated), DiagnosticDescriptors.InvalidCustomPullback),
            _ => (null, false),
        };
        if (kind == UserRuleKind.CustomPullback && pullback is null) return null;
        if (ArgumentsOf(invocation, callee, callee.Parameters.Length) is not { } arguments) return null;
        // A model's method on the model or a layer is read in place: one backward, the textbook formulas, no forward twice.
        if (receiver is { Index: null } && kind == UserRuleKind.Differentiable && Inline(callee, receiver, arguments, differentiated, name) is { } inlined) return Convert(inlined, type);
        var args = arguments.Select((value, i) => new CallArgument(value.Operand, parameterTypes[i]!.Value, differentiated[i]));
        var target = name is null ? _names.Temp() : _names.Fresh(name);
        var attribute = kind == UserRuleKind.Differentiable
            ? callee.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == GradientGenerator.DifferentiableAttribute)
            : null;
        var modes = attribute is null ? default : Modes(attribute);
        // A pushforward: the user's ([CustomPushforward]), or the generated one, which takes a workspace over matrices.
        var overMatrices = returned.IsMatrix() || parameterTypes.Any(t => t!.Value.Item().IsMatrix());
        // (checked only where forward mode needs it: a reverse-mode caller never calls it)
        var custom = kind == UserRuleKind.NoDerivative || _pushforward is null ? null : Attribute(callee, CustomPushforwardAttribute);
        var (pushforward, pushforwardTakesWorkspace) = custom is not null
            ? CustomRule(invocation, callee, custom, ForwardSignature(callee, differentiated), DiagnosticDescriptors.InvalidCustomPushforward)
            : (modes.Pushforward ? function + "Pushforward" : null, overMatrices);
        if (custom is not null && pushforward is null) return null;
        _steps.Add(new CallStep(target, returned, function, pullback, takesWorkspace, args.ToEquatableArray(),
            pushforward, modes.Hessian ? function + "HessianPullback" : null, pushforwardTakesWorkspace, receiver,
            kind == UserRuleKind.Differentiable && (overMatrices || receiver is not null) ? function + "Value" : null));
        return Convert(new Value(Operand.Var(target), returned), type);
    }

    /// <summary>
    /// Which modes beyond reverse a [Differentiable] attribute asks for: forward (<c>Pushforward = true</c>, or
    /// <c>Hessian = true</c> or <c>Jacobian = true</c>, which use it), second order and the Jacobian.
    /// </summary>
    private static (bool Pushforward, bool Hessian, bool Jacobian) Modes(AttributeData attribute)
    {
        bool Asks(string mode) => attribute.NamedArguments.Any(n => n.Key == mode && n.Value.Value is true);
        return (Asks("Pushforward") || Asks("Hessian") || Asks("Jacobian"), Asks("Hessian"), Asks("Jacobian"));
    }

    private static AttributeData? Attribute(IMethodSymbol method, string name) =>
        method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == name);

    /// <summary>What a user's rule must look like: its return type, parameters (type, name, by ref) after which an optional workspace may come.</summary>
    private sealed record Signature(ITypeSymbol? Returns, string ReturnsText, List<(ITypeSymbol Type, string Name, bool ByRef)> Parameters);

    /// <summary><c>static R FPullback(P1 p1, …, Pn pn, R dL_dresult, ref Pi dL_dpi for each differentiated i[, Workspace? workspace])</c>.</summary>
    private static Signature BackwardSignature(IMethodSymbol callee, List<bool> differentiated) => new(callee.ReturnType, Display(callee.ReturnType),
        callee.Parameters.Select(p => (p.Type, p.Name, false))
            .Append((callee.ReturnType, "dL_dresult", false))
            .Concat(callee.Parameters.Where((_, i) => differentiated[i]).Select(p => (p.Type, "dL_d" + p.Name, true))).ToList());

    /// <summary><c>static (R Value, R Tangent) FPushforward(P1 p1, …, Pn pn, Pi dpi for each differentiated i[, Workspace? workspace])</c>.</summary>
    private static Signature ForwardSignature(IMethodSymbol callee, List<bool> differentiated) => new(null, $"({Display(callee.ReturnType)} Value, {Display(callee.ReturnType)} Tangent)",
        callee.Parameters.Select(p => (p.Type, p.Name, false))
            .Concat(callee.Parameters.Where((_, i) => differentiated[i]).Select(p => (p.Type, "d" + p.Name, false))).ToList());

    private static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    /// <summary>
    /// The fully qualified name of the rule a [CustomPullback] or [CustomPushforward] names and whether it takes the
    /// caller's workspace, or a null name after reporting a wrong signature.
    /// </summary>
    private (string? Name, bool TakesWorkspace) CustomRule(InvocationExpressionSyntax invocation, IMethodSymbol callee, AttributeData attribute, Signature signature, DiagnosticDescriptor wrong)
    {
        var arguments = attribute.ConstructorArguments;
        var owner = arguments.Length == 2 ? arguments[0].Value as INamedTypeSymbol : callee.ContainingType;
        var ruleName = arguments.LastOrDefault().Value as string ?? "";

        var workspace = _semantics.Compilation.GetTypeByMetadataName(WorkspaceType);
        var expected = signature.Parameters;
        bool TakesWorkspace(IMethodSymbol candidate) =>
            candidate.Parameters.Length == expected.Count + 1 && SymbolEqualityComparer.Default.Equals(candidate.Parameters.Last().Type, workspace);
        bool Returns(IMethodSymbol candidate) => signature.Returns is { } returns
            ? SymbolEqualityComparer.Default.Equals(candidate.ReturnType, returns)
            : candidate.ReturnType is INamedTypeSymbol { IsTupleType: true, TupleElements: { Length: 2 } elements }
                && elements.All(e => SymbolEqualityComparer.Default.Equals(e.Type, callee.ReturnType));
        bool Matches(IMethodSymbol candidate) =>
            candidate.IsStatic && !candidate.IsGenericMethod && Returns(candidate)
            && (candidate.Parameters.Length == expected.Count || TakesWorkspace(candidate))
            && expected.Select((p, i) => SymbolEqualityComparer.Default.Equals(candidate.Parameters[i].Type, p.Type)
                && candidate.Parameters[i].RefKind == (p.ByRef ? RefKind.Ref : RefKind.None)).All(ok => ok);

        if (owner?.GetMembers(ruleName).OfType<IMethodSymbol>().FirstOrDefault(Matches) is { } found)
        {
            return (Qualified(owner) + "." + Identifier(found.Name), TakesWorkspace(found));
        }
        var parameters = expected.Select(p => (p.ByRef ? "ref " : "") + Display(p.Type) + " " + p.Name)
            // A rule over matrices is shown with the (optional) workspace its matrices can come from.
            .Concat(expected.Any(p => TypeOf(p.Type) is { } type && type.Item().IsMatrix()) ? ["Workspace? workspace"] : Array.Empty<string>());
        Report(wrong, invocation, (owner?.Name ?? "?") + "." + ruleName, callee.ContainingType.Name + "." + callee.Name, $"static {signature.ReturnsText} {ruleName}({string.Join(", ", parameters)})");
        return (null, false);
    }
}

using System;
using System.Collections.Immutable;
using System.Linq;
using GradGen.Generator.Model;

namespace GradGen.Generator.Expressions;

/// <summary>
/// The tangent of an expression: d(expr) = Σᵢ ∂expr/∂vᵢ · dvᵢ over the variables it reads, each operation's local
/// derivative taken from <see cref="DerivativeRules"/> (the same rule as reverse and forward mode; elementwise, the
/// operators' rules hold for matrices too), a runtime function's from <see cref="Kernels"/>. This is how GradGen
/// differentiates its own generated code: the Hessian-vector product pushes tangents through the pullback's statements.
/// </summary>
internal static class ExprTangent
{
    /// <param name="tangentOf">A variable's tangent, or null when it has none (a constant of the derivative).</param>
    /// <param name="type">The type the expression is computed in.</param>
    /// <param name="result">A variable already holding the expression's value, which the rules reuse (<c>d(eˣ) = y·dx</c>).</param>
    /// <returns>The tangent, or null when it is zero.</returns>
    public static Expr? Of(Expr expr, Func<string, Expr?> tangentOf, NumType type, Expr? result = null)
    {
        Expr? Tangent(Expr e) => Of(e, tangentOf, type);

        return expr switch
        {
            Variable v => tangentOf(v.Name),
            Number or Raw or Member => null,
            Negate n => Tangent(n.Operand) is { } d ? -d : null,
            // A choice is piecewise: the tangent of the side taken (its condition is constant nearby).
            Conditional c => Choice(c, Tangent(c.WhenTrue), Tangent(c.WhenFalse)),
            Cast c => Of(c.Operand, tangentOf, c.OperandType) is { } d ? new Cast(c.Type, c.OperandType, d) : null,
            Element e => tangentOf((e.Array as Variable)?.Name ?? "") is { } array ? new Element(array, e.Index) : null,
            Binary { Op: "+" or "-" or "*" or "/" or "%" } b => ByRule(b.Op, ImmutableArray.Create(b.Left, b.Right), expr, result, tangentOf, type),
            MathCall m => ByRule(m.Name, m.Args, expr, result, tangentOf, type),
            // Matrices: the product rule through A·B, the kernel table for the runtime's functions.
            MatMul p => Sum(Tangent(p.A) is { } da ? p with { A = da } : null, Tangent(p.B) is { } db ? p with { B = db } : null),
            Call c when Kernels.Of(c) is { Tangent: { } tangent } => c.Args.Any(a => Tangent(a) is not null) ? tangent(c.Args, i => Tangent(c.Args[i]), c, result ?? c) : null,
            Call c => throw new NoTangentException(c.Function.Replace("global::GradGen.", "")),
            _ => throw new InvalidOperationException($"No tangent for {expr.GetType().Name}."),
        };
    }

    private static Expr? Sum(Expr? a, Expr? b) => a is null ? b : b is null ? a : a + b;

    private static Expr? Choice(Conditional choice, Expr? whenTrue, Expr? whenFalse) =>
        whenTrue is null && whenFalse is null ? null : choice with { WhenTrue = whenTrue ?? 0, WhenFalse = whenFalse ?? 0 };

    /// <summary>Σᵢ ∂op/∂argᵢ · d(argᵢ), from the operation's rule; arguments without a tangent contribute nothing.</summary>
    private static Expr? ByRule(string op, ImmutableArray<Expr> args, Expr expr, Expr? result, Func<string, Expr?> tangentOf, NumType type)
    {
        if (!DerivativeRules.TryGet(op, args.Length, out var rule)) throw new InvalidOperationException($"No rule for {op}/{args.Length}.");
        var context = new RuleContext(args, result ?? expr, type, Enumerable.Repeat(type, args.Length).ToImmutableArray());
        Expr? sum = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (Of(args[i], tangentOf, type) is not { } tangent) continue;
            var term = rule.Tangent(i, context, tangent);
            sum = sum is null ? term : sum + term;
        }
        return sum;
    }
}

/// <summary>A formula calls a runtime function whose tangent the kernel table does not give: second order does not cover it.</summary>
internal sealed class NoTangentException(string function) : Exception($"No tangent for {function}.")
{
    public string Function { get; } = function;
}

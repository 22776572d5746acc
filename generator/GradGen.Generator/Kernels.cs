using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GradGen.Generator.Expressions;

namespace GradGen.Generator;

/// <summary>
/// A runtime function the rules' formulas call (<c>GradGen.Matrix.SigmoidBackward</c>): how it reads in textbook notation,
/// for the generated comments, and, for second order, its tangent.
/// </summary>
/// <param name="Notation">
/// The call in textbook notation, {i} standing for argument i, or null for <c>Name(args)</c>. A placeholder says where
/// its argument stands, for parentheses: {i} alone inside brackets, {i:!} a primary, {i:*} a product's left factor,
/// {i:*r} its right one, {i:+l} a sum's left term, {i:+} its right one.
/// </param>
/// <param name="Precedence">How tightly the notation binds (see <see cref="MathNotation"/>).</param>
/// <param name="Tangent">From the arguments, their tangents (null: none), the call and its value (a variable holding it, or the call), the call's tangent.</param>
internal sealed record Kernel(string Name, string? Notation = null, int Precedence = MathNotation.Primary, Func<ImmutableArray<Expr>, Func<int, Expr?>, Call, Expr, Expr?>? Tangent = null);

/// <summary>The kernels whose calls the rule table writes, by name.</summary>
internal static class Kernels
{
    private static readonly Dictionary<string, Kernel> s_kernels = new Kernel[]
    {
        // Linear in their first argument (the others give a shape or are data).
        Linear("Transpose", "{0:!}ᵀ"),
        Linear("SumToShapeOf"),
        Linear("Broadcast"),
        Linear("BroadcastTo"),
        Linear("ColumnSums"),
        Linear("RowSums"),
        new("Sum", "Σ {0:!}", MathNotation.Unary, (a, d, _, _) => d(0) is { } t ? Scalar("Sum", t) : null),
        Linear("Mean"),
        Linear("MaskWherePositive", "{0:*} ⊙ [{1} > 0]", MathNotation.Multiplicative),

        // Elementwise functions: d f(a) = f′(a) ⊙ da.
        new("Exp", Tangent: (a, d, _, value) => d(0) is { } t ? value * t : null),
        new("Log", Tangent: (a, d, _, _) => d(0) is { } t ? t / a[0] : null),
        new("Sqrt", Tangent: (a, d, _, value) => d(0) is { } t ? t / (2 * value) : null),
        new("Relu", Tangent: (a, d, _, _) => d(0) is { } t ? Matrix("MaskWherePositive", t, a[0]) : null),
        new("Sigmoid", "σ({0})", Tangent: (a, d, _, value) => d(0) is { } t ? Matrix("SigmoidBackward", t, value) : null),
        new("Tanh", Tangent: (a, d, _, value) => d(0) is { } t ? Matrix("TanhBackward", t, value) : null),
        new("Softmax", Tangent: (a, d, _, value) => d(0) is { } t ? Matrix("SoftmaxBackward", t, value) : null),
        new("LogSoftmax", Tangent: (a, d, _, value) => d(0) is { } t ? t - Matrix("RowSums", Matrix("Exp", value) * t) : null),

        // Backward kernels, g ⊙ f′(y) and the like: the product rule over g and y.
        new("SigmoidBackward", "{0:*} ⊙ {1:*r} ⊙ (1 - {1:+})", MathNotation.Multiplicative,
            (a, d, _, _) => Sum(d(0) is { } dg ? Matrix("SigmoidBackward", dg, a[1]) : null, d(1) is { } ds ? a[0] * ds * (1 - 2 * a[1]) : null)),
        new("TanhBackward", "{0:*} ⊙ (1 - {1:!}²)", MathNotation.Multiplicative,
            (a, d, _, _) => Sum(d(0) is { } dg ? Matrix("TanhBackward", dg, a[1]) : null, d(1) is { } dt ? -(2 * a[0] * a[1] * dt) : null)),
        new("SoftmaxBackward", "{1:*} ⊙ ({0:+l} - RowSums({0:*} ⊙ {1:*r}))", MathNotation.Multiplicative,
            (a, d, _, _) => Sum(d(0) is { } dg ? Matrix("SoftmaxBackward", dg, a[1]) : null,
                d(1) is { } dp ? dp * (a[0] - Matrix("RowSums", a[0] * a[1])) - a[1] * Matrix("RowSums", a[0] * dp) : null)),
        new("SoftmaxCrossEntropyBackward", "{0:*}·({1:+l} - onehot({2}))", MathNotation.Multiplicative,
            (a, d, _, _) => Sum(d(0) is { } dc ? Matrix("SoftmaxCrossEntropyBackward", dc, a[1], a[2]) : null, d(1) is { } dp ? a[0] * dp : null)),
        // c·(softmax(z) ⊙ s − y), s the targets' row sums (1 for labels).
        new("CrossEntropyBackward",
            Tangent: (a, d, _, _) => Sum(d(0) is { } dc ? Matrix("CrossEntropyBackward", dc, a[1], a[2]) : null,
                d(1) is { } dz ? a[0] * Matrix("TargetRowSums", a[2], a[1]) * Matrix("SoftmaxBackward", dz, Matrix("Softmax", a[1])) : null,
                d(2) is { } dy ? a[0] * (Matrix("Softmax", a[1]) * Matrix("RowSums", dy) - dy) : null)),
        new("LogSoftmaxBackward",
            Tangent: (a, d, _, _) => Sum(d(0) is { } dg ? Matrix("LogSoftmaxBackward", dg, a[1]) : null,
                d(1) is { } dy ? -(Matrix("Exp", a[1]) * dy * Matrix("RowSums", a[0])) : null)),
        // Piecewise linear in x (its kink has measure zero): only the adjoint and the slope carry tangents.
        new("LeakyReluBackward",
            Tangent: (a, d, _, _) => Sum(d(0) is { } dg ? Matrix("LeakyReluBackward", dg, a[1], a[2]) : null,
                d(2) is { } ds ? (a[0] - Matrix("MaskWherePositive", a[0], a[1])) * ds : null)),
        // g where x > 0, g ⊙ (y + α) below: the tangents of y and α count below 0 only.
        new("EluBackward",
            Tangent: (a, d, _, _) => Sum(d(0) is { } dg ? Matrix("EluBackward", dg, a[1], a[2], a[3]) : null,
                Sum(d(2), d(3)) is { } below ? a[0] * below - Matrix("MaskWherePositive", a[0] * below, a[1]) : null)),
        new("BinaryCrossEntropyWithLogitsBackward",
            Tangent: (a, d, _, _) => Sum(d(0) is { } dc ? Matrix("BinaryCrossEntropyWithLogitsBackward", dc, a[1], a[2]) : null,
                d(1) is { } dz ? a[0] * Matrix("SigmoidBackward", dz, Matrix("Sigmoid", a[1])) : null,
                d(2) is { } dy ? -(a[0] * dy) : null)),

        // A constant of the derivative (rows built from integer labels), and kernels second order does not cover yet (no tangent:
        // the activations' second derivatives, the clip of probabilities).
        new("OneHot", "onehot({0})", Tangent: (_, _, _, _) => null),
        new("ClipProbability", "clip({0})"),
        new("GeluBackward"),
        new("GeluTanhBackward"),
        new("SiluBackward"),
        new("SoftplusBackward"),

        // An activation of a sum, which the pullback's forward calls for s = a + b; f(s) (see ForwardFusion); the
        // pushforward and the Hessian, which differentiate the forward again, keep the two steps.
        new("SigmoidOfSum", "σ({0:+l} + {1:+})"),
        new("TanhOfSum", "tanh({0:+l} + {1:+})"),
        new("ReluOfSum", "ReLU({0:+l} + {1:+})"),
        new("SoftmaxOfSum", "softmax({0:+l} + {1:+})"),
    }.ToDictionary(k => k.Name);

    /// <summary>The kernel a call of the runtime names, if the table has it.</summary>
    public static Kernel? Of(Call call) =>
        call.Function.StartsWith(Runtime, StringComparison.Ordinal) && s_kernels.TryGetValue(call.Function.Substring(Runtime.Length), out var kernel) ? kernel : null;

    private const string Runtime = "global::GradGen.Matrix.";

    /// <summary>A kernel linear in its first argument: its tangent is itself applied to that argument's tangent.</summary>
    private static Kernel Linear(string name, string? notation = null, int precedence = MathNotation.Primary) =>
        new(name, notation, precedence, (a, d, call, _) => d(0) is { } t ? call with { Args = a.SetItem(0, t) } : null);

    private static Expr? Sum(params Expr?[] terms) => terms.OfType<Expr>().Aggregate((Expr?)null, (sum, term) => sum is null ? term : sum + term);

    private static Expr Matrix(string name, params Expr[] args) => new Call(Runtime + name, args.ToImmutableArray(), ReturnsMatrix: true);

    private static Expr Scalar(string name, params Expr[] args) => new Call(Runtime + name, args.ToImmutableArray());
}

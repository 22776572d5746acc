using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GradGen.Generator.Expressions;
using GradGen.Generator.Model;

namespace GradGen.Generator;

/// <summary>The operands, the result and the types of one step, as a rule sees them.</summary>
internal readonly struct RuleContext(ImmutableArray<Expr> args, Expr result, NumType type, ImmutableArray<NumType> argTypes)
{
    public Expr this[int index] => args[index];

    /// <summary>The step's own (forward) value, so that rules reuse it instead of recomputing.</summary>
    public Expr Result => result;

    public NumType Type => type;

    public ImmutableArray<NumType> ArgTypes => argTypes;
}

/// <summary>
/// How one argument's adjoint receives its contribution from the adjoint g of the step's result.
/// Scalar rules give the local derivative ∂result/∂arg (<see cref="Partial"/>) and contribute g · partial;
/// matrix rules give the vector-Jacobian product directly (<see cref="Pullback"/>, e.g. g·bᵀ for a·b),
/// never a Jacobian.
/// </summary>
/// <param name="At">For an array argument, the index of the item that receives the contribution.</param>
/// <param name="Pushforward">
/// Forward mode: the contribution of the argument's tangent t to the result's (a Jacobian-vector product), where it is
/// not partial · t: for matrix rules, e.g. dA·B for a·b, or the pullback of t itself where the Jacobian is symmetric
/// (elementwise activations, softmax).
/// </param>
internal sealed record ArgumentRule(Func<RuleContext, Expr>? Partial, Func<RuleContext, Expr, Expr> Pullback, Func<RuleContext, Expr>? At = null, Func<RuleContext, Expr, Expr>? Pushforward = null)
{
    public static implicit operator ArgumentRule(Func<RuleContext, Expr> partial) => new(partial, (x, g) => g * partial(x));
}

/// <summary>
/// One operation: how to compute it and how each argument's adjoint receives its contribution. A rule with no
/// argument rules computes a constant (e.g. a matrix's row count): its value never carries a gradient.
/// </summary>
internal sealed record DerivativeRule(string Op, int Arity, Func<RuleContext, Expr> Forward, ImmutableArray<ArgumentRule> Arguments)
{
    public bool IsConstant => Arguments.IsEmpty;

    /// <summary>
    /// The contribution of argument <paramref name="index"/>'s tangent <paramref name="tangent"/> to the result's tangent:
    /// the rule's own pushforward, else partial · t (scalar rules), else, for a number computed from a matrix (a loss, a
    /// sum), ⟨Jᵀ·1, t⟩ = Σ pullback(1) ⊙ t, which the pullback already gives.
    /// </summary>
    public Expr Tangent(int index, RuleContext x, Expr tangent)
    {
        var argument = Arguments[index];
        if (argument.Pushforward is { } pushforward) return pushforward(x, tangent);
        if (argument.Partial is { } partial) return partial(x) * tangent;
        if (!x.Type.IsMatrix()) return x.ArgTypes[index].IsMatrix() ? DerivativeRules.Sum(argument.Pullback(x, 1) * tangent) : argument.Pullback(x, 1) * tangent;
        throw new InvalidOperationException($"The rule {Op} has no pushforward for argument {index}.");
    }

    /// <summary>These arguments' pushforwards, in order (null: derived, see <see cref="Tangent"/>).</summary>
    public DerivativeRule WithPushforwards(params Func<RuleContext, Expr, Expr>?[] pushforwards) =>
        this with { Arguments = Arguments.Select((a, i) => i < pushforwards.Length && pushforwards[i] is { } p ? a with { Pushforward = p } : a).ToImmutableArray() };

    /// <summary>The first argument's Jacobian is symmetric (diagonal for an elementwise function): its pushforward is its pullback.</summary>
    public DerivativeRule SelfAdjoint() => WithPushforwards(Arguments[0].Pullback);
}

/// <summary>
/// A loss applied to the activation that feeds it, differentiated as one step: <c>Outer(Inner(z), target)</c>
/// contributes to z's adjoint directly, e.g. softmax + cross-entropy gives (p − onehot)/N instead of the
/// cross-entropy's −onehot/(N·p) pulled back through the softmax. Used when the activation has no other use.
/// </summary>
/// <param name="Pullback">From the loss's context, the activation's context and the loss's adjoint, z's contribution.</param>
internal sealed record FusedRule(string Outer, string Inner, Func<RuleContext, RuleContext, Expr, Expr> Pullback);

/// <summary>
/// The table of operations GradGen can differentiate: one entry per operation, one local derivative per
/// argument. Adding an operation is adding an entry here; no other phase changes.
/// </summary>
internal static class DerivativeRules
{
    public const string Add = "+", Subtract = "-", Multiply = "*", Divide = "/", Negate = "neg", Convert = "convert", Item = "item", Remainder = "%";

    /// <summary>The rule key of an operator over matrices, e.g. <c>*(S,M)</c>, or the scalar operator itself.</summary>
    public static string Operator(string op, params NumType[] operands) =>
        operands.Any(t => t.IsMatrix()) ? op + "(" + string.Join(",", operands.Select(t => t.IsMatrix() ? "M" : "S")) + ")" : op;

    private static readonly Dictionary<string, DerivativeRule> s_rules = new DerivativeRule[]
    {
        Rule(Add, x => x[0] + x[1], x => 1, x => 1),
        Rule(Subtract, x => x[0] - x[1], x => 1, x => -1),
        Rule(Multiply, x => x[0] * x[1], x => x[1], x => x[0]),
        Rule(Divide, x => x[0] / x[1], x => 1 / x[1], x => -x.Result / x[1]),
        Rule(Negate, x => -x[0], x => -1),
        // a % b = a − b·trunc(a/b): piecewise linear in each operand (for integers, data: never differentiated).
        Rule(Remainder, x => x[0] % x[1], x => 1, x => -Call("Truncate", x[0] / x[1])),
        Rule(Convert, x => new Cast(x.Type, x.ArgTypes[0], x[0]), x => 1).WithPushforwards((x, t) => new Cast(x.Type, x.ArgTypes[0], t)),

        // An array's item a[i]: its adjoint goes to the same item of the array's adjoint. The index is an integer.
        new(Item, 2, x => new Element(x[0], x[1]), ImmutableArray.Create(new ArgumentRule(x => 1, (x, g) => g, At: x => x[1], Pushforward: (x, t) => new Element(t, x[1])), new ArgumentRule(x => 0, (x, g) => 0))),

        // Math and MathF functions, named as in System.Math.
        Rule("Exp", x => Call("Exp", x[0]), x => x.Result),
        Rule("Log", x => Call("Log", x[0]), x => 1 / x[0]),
        Rule("Sqrt", x => Call("Sqrt", x[0]), x => 0.5 / x.Result),
        Rule("Pow", x => Call("Pow", x[0], x[1]), x => x[1] * Call("Pow", x[0], x[1] - 1), x => x.Result * Call("Log", x[0])),
        Rule("Sin", x => Call("Sin", x[0]), x => Call("Cos", x[0])),
        Rule("Cos", x => Call("Cos", x[0]), x => -Call("Sin", x[0])),
        Rule("Tan", x => Call("Tan", x[0]), x => 1 + x.Result * x.Result),
        Rule("Tanh", x => Call("Tanh", x[0]), x => 1 - x.Result * x.Result),
        // |x|' = sign(x), written without Math.Sign, which throws on NaN; 0 at 0 as in PyTorch.
        Rule("Abs", x => Call("Abs", x[0]), x => new Conditional(Greater(x[0], 0), 1, new Conditional(Less(x[0], 0), -1, 0))),
        // Ties go to the second argument: Max(z, 0) has derivative 0 at z = 0, the ReLU convention.
        Rule("Max", x => Call("Max", x[0], x[1]), x => new Conditional(Greater(x[0], x[1]), 1, 0), x => new Conditional(Greater(x[0], x[1]), 0, 1)),
        Rule("Min", x => Call("Min", x[0], x[1]), x => new Conditional(Less(x[0], x[1]), 1, 0), x => new Conditional(Less(x[0], x[1]), 0, 1)),
        Rule("Sinh", x => Call("Sinh", x[0]), x => Call("Cosh", x[0])),
        Rule("Cosh", x => Call("Cosh", x[0]), x => Call("Sinh", x[0])),
        Rule("Asin", x => Call("Asin", x[0]), x => 1 / Call("Sqrt", 1 - x[0] * x[0])),
        Rule("Acos", x => Call("Acos", x[0]), x => -1 / Call("Sqrt", 1 - x[0] * x[0])),
        Rule("Atan", x => Call("Atan", x[0]), x => 1 / (1 + x[0] * x[0])),
        // atan2(y, x), the angle of (x, y): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²).
        Rule("Atan2", x => Call("Atan2", x[0], x[1]), x => x[1] / (x[0] * x[0] + x[1] * x[1]), x => -x[0] / (x[0] * x[0] + x[1] * x[1])),
        Rule("Asinh", x => Call("Asinh", x[0]), x => 1 / Call("Sqrt", x[0] * x[0] + 1)),
        Rule("Acosh", x => Call("Acosh", x[0]), x => 1 / Call("Sqrt", x[0] * x[0] - 1)),
        Rule("Atanh", x => Call("Atanh", x[0]), x => 1 / (1 - x[0] * x[0])),
        // log_b(x) = ln x / ln b: ∂/∂x = 1/(x ln b), ∂/∂b = −log_b(x)/(b ln b).
        Rule("Log/2", x => Call("Log", x[0], x[1]), x => 1 / (x[0] * Call("Log", x[1])), x => -x.Result / (x[1] * Call("Log", x[1]))),
        Rule("Log2", x => Call("Log2", x[0]), x => 1 / (x[0] * Math.Log(2))),
        Rule("Log10", x => Call("Log10", x[0]), x => 1 / (x[0] * Math.Log(10))),
        Rule("Exp2", x => NumberCall("Exp2", x[0]), x => x.Result * Math.Log(2)),
        Rule("Exp10", x => NumberCall("Exp10", x[0]), x => x.Result * Math.Log(10)),
        Rule("Cbrt", x => Call("Cbrt", x[0]), x => 1 / (3 * x.Result * x.Result)),
        Rule("Hypot", x => NumberCall("Hypot", x[0], x[1]), x => x[0] / x.Result, x => x[1] / x.Result),
        Rule("FusedMultiplyAdd", x => Call("FusedMultiplyAdd", x[0], x[1], x[2]), x => x[1], x => x[0], x => 1),
        // x·2ⁿ for an integer n.
        Rule("ScaleB", x => Call("ScaleB", x[0], x[1]), x => Call("ScaleB", 1, x[1]), x => 0),
        // PyTorch's clamp: the gradient passes where min ≤ x ≤ max, and goes to the bound that is taken otherwise.
        Rule("Clamp", x => NumberCall("Clamp", x[0], x[1], x[2]),
            x => new Conditional(Less(x[0], x[1]), 0, new Conditional(Greater(x[0], x[2]), 0, 1)),
            x => new Conditional(Less(x[0], x[1]), 1, 0),
            x => new Conditional(Less(x[0], x[1]), 0, new Conditional(Greater(x[0], x[2]), 1, 0))),
        // |x|·sign(y): ∂/∂x = sign(x)·sign(y) (the sign bits, so ±1 also at 0), constant in y.
        Rule("CopySign", x => Call("CopySign", x[0], x[1]), x => Call("CopySign", 1, x[0]) * Call("CopySign", 1, x[1]), x => 0),
        // Piecewise constant: derivative 0 wherever it exists.
        Rule("Floor", x => Call("Floor", x[0]), x => 0),
        Rule("Ceiling", x => Call("Ceiling", x[0]), x => 0),
        Rule("Round", x => Call("Round", x[0]), x => 0),
        Rule("Round/2", x => Call("Round", x[0], x[1]), x => 0, x => 0),
        Rule("Truncate", x => Call("Truncate", x[0]), x => 0),
        Rule("Sign", x => Call("Sign", x[0]), x => 0),

        // Matrix operations. Keys of operators name the operand kinds: M a matrix, S a scalar.
        // Operators are elementwise as in numpy; a 1×n (m×1) operand, on either side, broadcasts over the rows (columns),
        // so its adjoint is reduced back to its shape (column sums: the bias gradient; the identity for a full operand).
        // In forward mode, a broadcast operand's tangent is broadcast to the result's shape (the other operand may have none).
        MatrixRule("+(M,M)", x => x[0] + x[1], (x, g) => MatrixCall("SumToShapeOf", g, x[0]), (x, g) => MatrixCall("SumToShapeOf", g, x[1]))
            .WithPushforwards((x, t) => BroadcastTo(t, x.Result), (x, t) => BroadcastTo(t, x.Result)),
        MatrixRule("-(M,M)", x => x[0] - x[1], (x, g) => MatrixCall("SumToShapeOf", g, x[0]), (x, g) => -MatrixCall("SumToShapeOf", g, x[1]))
            .WithPushforwards((x, t) => BroadcastTo(t, x.Result), (x, t) => -BroadcastTo(t, x.Result)),
        MatrixRule("*(M,M)", x => x[0] * x[1], (x, g) => MatrixCall("SumToShapeOf", g * x[1], x[0]), (x, g) => MatrixCall("SumToShapeOf", g * x[0], x[1]))
            .WithPushforwards((x, t) => BroadcastTo(t * x[1], x.Result), (x, t) => BroadcastTo(x[0] * t, x.Result)),
        MatrixRule("/(M,M)", x => x[0] / x[1], (x, g) => MatrixCall("SumToShapeOf", g / x[1], x[0]), (x, g) => -MatrixCall("SumToShapeOf", g * x.Result / x[1], x[1]))
            .WithPushforwards((x, t) => BroadcastTo(t / x[1], x.Result), (x, t) => BroadcastTo(-(x.Result * t / x[1]), x.Result)),
        MatrixRule("neg(M)", x => -x[0], (x, g) => -g).SelfAdjoint(),
        MatrixRule("*(S,M)", x => x[0] * x[1], (x, g) => ScalarCall("Sum", g * x[1]), (x, g) => g * x[0])
            .WithPushforwards((x, t) => t * x[1], (x, t) => x[0] * t),
        MatrixRule("*(M,S)", x => x[0] * x[1], (x, g) => g * x[1], (x, g) => ScalarCall("Sum", g * x[0]))
            .WithPushforwards((x, t) => t * x[1], (x, t) => x[0] * t),
        MatrixRule("/(M,S)", x => x[0] / x[1], (x, g) => g / x[1], (x, g) => -ScalarCall("Sum", g * x.Result) / x[1])
            .WithPushforwards((x, t) => t / x[1], (x, t) => -(x.Result * t) / x[1]),
        MatrixRule("+(M,S)", x => x[0] + x[1], (x, g) => g, (x, g) => ScalarCall("Sum", g))
            .WithPushforwards((x, t) => t, (x, t) => MatrixCall("Broadcast", t, x.Result)),
        MatrixRule("+(S,M)", x => x[0] + x[1], (x, g) => ScalarCall("Sum", g), (x, g) => g)
            .WithPushforwards((x, t) => MatrixCall("Broadcast", t, x.Result), (x, t) => t),
        MatrixRule("-(M,S)", x => x[0] - x[1], (x, g) => g, (x, g) => -ScalarCall("Sum", g))
            .WithPushforwards((x, t) => t, (x, t) => MatrixCall("Broadcast", -t, x.Result)),
        MatrixRule("-(S,M)", x => x[0] - x[1], (x, g) => ScalarCall("Sum", g), (x, g) => -g)
            .WithPushforwards((x, t) => MatrixCall("Broadcast", t, x.Result), (x, t) => -t),
        MatrixRule("/(S,M)", x => x[0] / x[1], (x, g) => ScalarCall("Sum", g / x[1]), (x, g) => -g * x.Result / x[1])
            .WithPushforwards((x, t) => t / x[1], (x, t) => -(x.Result * t) / x[1]),
        // Linear in each operand: the tangent goes through the product itself, dA·B + A·dB.
        MatrixRule("Matrix.MatMul", x => new MatMul(x[0], x[1]), (x, g) => new MatMul(g, x[1], TransposeB: true), (x, g) => new MatMul(x[0], g, TransposeA: true))
            .WithPushforwards((x, t) => new MatMul(t, x[1]), (x, t) => new MatMul(x[0], t)),
        MatrixRule("Matrix.Transpose", x => MatrixCall("Transpose", x[0]), (x, g) => MatrixCall("Transpose", g)).WithPushforwards((x, t) => MatrixCall("Transpose", t)),
        // σ' = σ(1 − σ) and tanh' = 1 − tanh², from the forward activation instead of recomputing it, in one fused pass.
        MatrixRule("Matrix.Sigmoid", x => MatrixCall("Sigmoid", x[0]), (x, g) => MatrixCall("SigmoidBackward", g, x.Result)).SelfAdjoint(),
        MatrixRule("Matrix.Tanh", x => MatrixCall("Tanh", x[0]), (x, g) => MatrixCall("TanhBackward", g, x.Result)).SelfAdjoint(),
        // ReLU passes the adjoint where the forward input was positive (seed 002's mask), read from its output, positive
        // exactly there: the input is then not kept, and a dense layer's sum and ReLU run as one pass (ForwardFusion).
        MatrixRule("Matrix.Relu", x => MatrixCall("Relu", x[0]), (x, g) => MatrixCall("MaskWherePositive", g, x.Result)).SelfAdjoint(),
        MatrixRule("Matrix.Exp", x => MatrixCall("Exp", x[0]), (x, g) => g * x.Result).SelfAdjoint(),
        MatrixRule("Matrix.Log", x => MatrixCall("Log", x[0]), (x, g) => g / x[0]).SelfAdjoint(),
        MatrixRule("Matrix.Sqrt", x => MatrixCall("Sqrt", x[0]), (x, g) => g / (2 * x.Result)).SelfAdjoint(),
        MatrixRule("Matrix.Sum", x => ScalarCall("Sum", x[0]), (x, g) => MatrixCall("Broadcast", g, x[0])).WithPushforwards((x, t) => Sum(t)),
        MatrixRule("Matrix.Mean", x => ScalarCall("Mean", x[0]), (x, g) => MatrixCall("Broadcast", g / new Member(x[0], "Length"), x[0]))
            .WithPushforwards((x, t) => ScalarCall("Mean", t)),
        MatrixRule("Matrix.ColumnSums", x => MatrixCall("ColumnSums", x[0]), (x, g) => MatrixCall("Broadcast", g, x[0])).WithPushforwards((x, t) => MatrixCall("ColumnSums", t)),
        MatrixRule("Matrix.RowSums", x => MatrixCall("RowSums", x[0]), (x, g) => MatrixCall("Broadcast", g, x[0])).WithPushforwards((x, t) => MatrixCall("RowSums", t)),
        // Softmax's vector-Jacobian product row by row: p ⊙ (g − Σⱼ gⱼpⱼ), never the n×n Jacobian (which is symmetric).
        MatrixRule("Matrix.Softmax", x => MatrixCall("Softmax", x[0]), (x, g) => MatrixCall("SoftmaxBackward", g, x.Result)).SelfAdjoint(),
        // Losses over a batch. Scalar factors are grouped on the left so that the matrix is traversed once.
        // Mse = (1/N) Σ ‖ŷ − y‖²: ∂/∂ŷ = 2(ŷ − y)/N.
        MatrixRule("Matrix.Mse", x => ScalarCall("Mse", x[0], x[1]),
            (x, g) => 2 * g / Rows(x[0]) * (x[0] - x[1]),
            (x, g) => 2 * g / Rows(x[0]) * (x[1] - x[0])),
        // CE = −(1/N) Σ y ⊙ log p: ∂/∂p = −y ⊘ p / N, at the clipped p the forward used (see Matrix.BinaryCrossEntropy).
        MatrixRule("Matrix.CategoricalCrossEntropy", x => ScalarCall("CategoricalCrossEntropy", x[0], x[1]),
            (x, g) => -g / Rows(x[0]) * (Targets(x) / MatrixCall("ClipProbability", x[0])),
            (x, g) => -g / Rows(x[0]) * MatrixCall("Log", MatrixCall("ClipProbability", x[0]))),
        // BCE = −mean(y log p + (1 − y) log(1 − p)): ∂/∂p = ((1 − y) ⊘ (1 − p) − y ⊘ p) / count.
        MatrixRule("Matrix.BinaryCrossEntropy", x => ScalarCall("BinaryCrossEntropy", x[0], x[1]),
            (x, g) => g / Count(x[0]) * ((1 - x[1]) / (1 - MatrixCall("ClipProbability", x[0])) - x[1] / MatrixCall("ClipProbability", x[0])),
            (x, g) => g / Count(x[0]) * (MatrixCall("Log", 1 - MatrixCall("ClipProbability", x[0])) - MatrixCall("Log", MatrixCall("ClipProbability", x[0])))),

        // Activations beyond ReLU/σ/tanh, each with a one-pass backward kernel.
        MatrixRule("Matrix.LeakyRelu", x => MatrixCall("LeakyRelu", x[0]), (x, g) => MatrixCall("LeakyReluBackward", g, x[0], 0.01)).SelfAdjoint(),
        MatrixRule("Matrix.LeakyRelu/2", x => MatrixCall("LeakyRelu", x[0], x[1]),
            (x, g) => MatrixCall("LeakyReluBackward", g, x[0], x[1]),
            (x, g) => ScalarCall("Sum", g * (x[0] - MatrixCall("Relu", x[0])))).SelfAdjoint()
            .WithPushforwards(null, (x, t) => (x[0] - MatrixCall("Relu", x[0])) * t),
        // ELU′ = 1 above 0, y + α below (from the forward output y = α(eˣ − 1)).
        MatrixRule("Matrix.Elu", x => MatrixCall("Elu", x[0]), (x, g) => MatrixCall("EluBackward", g, x[0], x.Result, 1.0)).SelfAdjoint(),
        MatrixRule("Matrix.Elu/2", x => MatrixCall("Elu", x[0], x[1]),
            (x, g) => MatrixCall("EluBackward", g, x[0], x.Result, x[1]),
            (x, g) => ScalarCall("Sum", g * (x.Result - MatrixCall("Relu", x[0]))) / x[1]).SelfAdjoint()
            .WithPushforwards(null, (x, t) => (x.Result - MatrixCall("Relu", x[0])) * t / x[1]),
        MatrixRule("Matrix.Gelu", x => MatrixCall("Gelu", x[0]), (x, g) => MatrixCall("GeluBackward", g, x[0])).SelfAdjoint(),
        MatrixRule("Matrix.GeluTanh", x => MatrixCall("GeluTanh", x[0]), (x, g) => MatrixCall("GeluTanhBackward", g, x[0])).SelfAdjoint(),
        MatrixRule("Matrix.Silu", x => MatrixCall("Silu", x[0]), (x, g) => MatrixCall("SiluBackward", g, x[0])).SelfAdjoint(),
        MatrixRule("Matrix.Softplus", x => MatrixCall("Softplus", x[0]), (x, g) => MatrixCall("SoftplusBackward", g, x[0])).SelfAdjoint(),
        // log-softmax′ᵀg = g − softmax·Σg per row, the softmax from the forward output; forward, t − Σ(softmax ⊙ t) per row.
        MatrixRule("Matrix.LogSoftmax", x => MatrixCall("LogSoftmax", x[0]), (x, g) => MatrixCall("LogSoftmaxBackward", g, x.Result))
            .WithPushforwards((x, t) => t - MatrixCall("RowSums", MatrixCall("Exp", x.Result) * t)),
        // Losses on logits (PyTorch's CrossEntropyLoss, BCEWithLogitsLoss): the fused gradients (softmax(z) − onehot)/N and
        // (σ(z) − y)/count, exact at any magnitude; the targets' gradients −log softmax(z)/N and −z/count.
        MatrixRule("Matrix.CrossEntropy", x => ScalarCall("CrossEntropy", x[0], x[1]),
            (x, g) => MatrixCall("CrossEntropyBackward", g / Rows(x[0]), x[0], x[1]),
            (x, g) => -g / Rows(x[0]) * MatrixCall("LogSoftmax", x[0])),
        MatrixRule("Matrix.BinaryCrossEntropyWithLogits", x => ScalarCall("BinaryCrossEntropyWithLogits", x[0], x[1]),
            (x, g) => MatrixCall("BinaryCrossEntropyWithLogitsBackward", g / Count(x[0]), x[0], x[1]),
            (x, g) => -g / Count(x[0]) * x[0]),

        // Values that carry no gradient: shapes, and one-hot rows built from integer labels.
        Constant("Matrix.Rows", x => Rows(x[0])),
        Constant("Matrix.Columns", x => new Member(x[0], "Columns")),
        Constant("Matrix.Length", x => Count(x[0])),
        Constant("Matrix.OneHot", x => MatrixCall("OneHot", x[0], x[1]), arity: 2),
        Constant("Array.Length", x => Count(x[0])),
    }.ToDictionary(r => r.Op);

    /// <summary>Losses whose backward, composed with the activation before them, collapses to a simple formula.</summary>
    private static readonly FusedRule[] s_fused =
    [
        // Softmax + categorical cross-entropy: ∂L/∂z = (p − onehot)/N; for target rows y that need not sum to 1, (p ⊙ Σⱼyⱼ − y)/N.
        // With labels, one pass that never builds the one-hot matrix.
        new("Matrix.CategoricalCrossEntropy", "Matrix.Softmax", (loss, softmax, g) => loss.ArgTypes[1] == NumType.Labels
            ? MatrixCall("SoftmaxCrossEntropyBackward", g / Rows(softmax.Result), softmax.Result, loss[1])
            : g / Rows(softmax.Result) * (softmax.Result * MatrixCall("RowSums", loss[1]) - loss[1])),
        // Sigmoid + binary cross-entropy: ∂L/∂z = (σ(z) − y)/count.
        new("Matrix.BinaryCrossEntropy", "Matrix.Sigmoid", (loss, sigmoid, g) => g / Count(sigmoid.Result) * (sigmoid.Result - loss[1])),
    ];

    public static FusedRule? Fused(string outer, string inner) => s_fused.FirstOrDefault(f => f.Outer == outer && f.Inner == inner);

    /// <summary>The names of the differentiable <c>Matrix</c> functions, for diagnostics.</summary>
    public static IEnumerable<string> MatrixFunctions =>
        s_rules.Values.Where(r => r.Op.StartsWith("Matrix.", StringComparison.Ordinal) && !r.IsConstant).Select(r => r.Op.Substring("Matrix.".Length).Split('/')[0]).Distinct();

    public static bool TryGet(string op, out DerivativeRule rule) => s_rules.TryGetValue(op, out rule!);

    /// <summary>The rule for a function called with <paramref name="arity"/> arguments: <c>Log/2</c> for <c>Log(x, b)</c>, else the name's.</summary>
    public static bool TryGet(string name, int arity, out DerivativeRule rule) =>
        s_rules.TryGetValue(name + "/" + arity.ToString(System.Globalization.CultureInfo.InvariantCulture), out rule!) || s_rules.TryGetValue(name, out rule!) && rule.Arity == arity;

    /// <summary>The names of the differentiable Math/MathF (and double/float) functions, for diagnostics.</summary>
    public static IEnumerable<string> MathFunctions =>
        s_rules.Values.Select(r => r.Op).Where(op => char.IsUpper(op[0]) && !op.Contains(".")).Select(op => op.Split('/')[0]).Distinct();

    public static DerivativeRule Get(string op) => s_rules[op];

    /// <summary>Every rule and fused rule, for the tests that check the rest of the project against the table.</summary>
    internal static IEnumerable<DerivativeRule> All => s_rules.Values;

    internal static IEnumerable<FusedRule> AllFused => s_fused;

    private static DerivativeRule Rule(string op, Func<RuleContext, Expr> forward, params Func<RuleContext, Expr>[] partials) =>
        new(op, partials.Length, forward, partials.Select(p => (ArgumentRule)p).ToImmutableArray());

    private static DerivativeRule MatrixRule(string op, Func<RuleContext, Expr> forward, params Func<RuleContext, Expr, Expr>[] pullbacks) =>
        new(op, pullbacks.Length, forward, pullbacks.Select(p => new ArgumentRule(null, p)).ToImmutableArray());

    private static DerivativeRule Constant(string op, Func<RuleContext, Expr> forward, int arity = 1) => new(op, arity, forward, ImmutableArray<ArgumentRule>.Empty);

    private static Expr Rows(Expr matrix) => new Member(matrix, "Rows");

    private static Expr Count(Expr matrix) => new Member(matrix, "Length");

    /// <summary>A categorical cross-entropy's targets as a matrix: one-hot rows for class indices.</summary>
    private static Expr Targets(RuleContext loss) => loss.ArgTypes[1] == NumType.Labels ? MatrixCall("OneHot", loss[1], loss[0]) : loss[1];

    /// <summary>A runtime function returning a matrix (taken from the workspace when emitted).</summary>
    private static Expr MatrixCall(string name, params Expr[] args) => new Call("global::GradGen.Matrix." + name, args.ToImmutableArray(), ReturnsMatrix: true);

    /// <summary>A tangent of an operand that may be broadcast (a 1×n row, an m×1 column), as a matrix of the result's shape.</summary>
    private static Expr BroadcastTo(Expr tangent, Expr result) => MatrixCall("BroadcastTo", tangent, result);

    internal static Expr Sum(Expr matrix) => ScalarCall("Sum", matrix);

    /// <summary>A runtime function returning a number (a reduction or a loss).</summary>
    private static Expr ScalarCall(string name, params Expr[] args) => new Call("global::GradGen.Matrix." + name, args.ToImmutableArray());

    private static Expr Call(string name, params Expr[] args) => new MathCall(name, args.ToImmutableArray());

    /// <summary>A generic-math function of the number type itself (<c>double.Exp2</c>), which Math and MathF lack.</summary>
    private static Expr NumberCall(string name, params Expr[] args) => new MathCall(name, args.ToImmutableArray(), OnNumberType: true);

    private static Expr Greater(Expr left, Expr right) => new Binary(">", left, right);

    private static Expr Less(Expr left, Expr right) => new Binary("<", left, right);
}

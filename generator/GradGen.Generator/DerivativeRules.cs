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

    public ImmutableArray<Expr> Args => args;

    /// <summary>The step's own (forward) value, so that rules reuse it instead of recomputing.</summary>
    public Expr Result => result;

    public NumType Type => type;

    public ImmutableArray<NumType> ArgTypes => argTypes;
}

/// <summary>
/// One operation: how to compute it and, for each argument, its local derivative ∂result/∂arg.
/// The backward adds <c>adjoint(result) · Partials[i]</c> to the adjoint of argument <c>i</c>.
/// </summary>
internal sealed record DerivativeRule(string Op, int Arity, Func<RuleContext, Expr> Forward, ImmutableArray<Func<RuleContext, Expr>> Partials);

/// <summary>
/// The table of operations GradGen can differentiate: one entry per operation, one local derivative per
/// argument. Adding an operation is adding an entry here; no other phase changes.
/// </summary>
internal static class DerivativeRules
{
    public const string Add = "+", Subtract = "-", Multiply = "*", Divide = "/", Negate = "neg", Convert = "convert";

    private static readonly Dictionary<string, DerivativeRule> s_rules = new DerivativeRule[]
    {
        Rule(Add, x => x[0] + x[1], x => 1, x => 1),
        Rule(Subtract, x => x[0] - x[1], x => 1, x => -1),
        Rule(Multiply, x => x[0] * x[1], x => x[1], x => x[0]),
        Rule(Divide, x => x[0] / x[1], x => 1 / x[1], x => -x.Result / x[1]),
        Rule(Negate, x => -x[0], x => -1),
        Rule(Convert, x => new Cast(x.Type, x.ArgTypes[0], x[0]), x => 1),

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
    }.ToDictionary(r => r.Op);

    public static bool TryGet(string op, out DerivativeRule rule) => s_rules.TryGetValue(op, out rule!);

    public static DerivativeRule Get(string op) => s_rules[op];

    private static DerivativeRule Rule(string op, Func<RuleContext, Expr> forward, params Func<RuleContext, Expr>[] partials) =>
        new(op, partials.Length, forward, partials.ToImmutableArray());

    private static Expr Call(string name, params Expr[] args) => new MathCall(name, args.ToImmutableArray());

    private static Expr Greater(Expr left, Expr right) => new Binary(">", left, right);

    private static Expr Less(Expr left, Expr right) => new Binary("<", left, right);
}

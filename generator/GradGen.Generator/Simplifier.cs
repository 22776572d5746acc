using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GradGen.Generator.Expressions;

namespace GradGen.Generator;

/// <summary>
/// Phase 4: algebraic clean-up of the backward, so that it reads like a hand derivation:
/// <c>g · 1 → g</c>, <c>g · (−1) → −g</c>, <c>g · (1/b) → g / b</c>, <c>g · (c ? 1 : 0) → c ? g : 0</c>,
/// constant folding, <c>Pow(x, 1) → x</c>. Every rewrite is exact in IEEE arithmetic (sign moves and
/// multiplications by one), except constant folding, which computes what the program would.
/// </summary>
internal static class Simplifier
{
    public static Gradient Simplify(Gradient gradient) => gradient with { Steps = Simplify(gradient.Steps) };

    private static IReadOnlyList<BackwardNode> Simplify(IReadOnlyList<BackwardNode> nodes) => nodes.Select(node => node switch
    {
        BackwardStep step => step with
        {
            Accumulations = step.Accumulations.Select(a => a with { Partial = a.Partial is null ? null : Simplify(a.Partial), Value = Simplify(a.Value) }).ToList(),
        },
        BackwardIf branch => branch with { Then = Simplify(branch.Then), Else = Simplify(branch.Else) },
        BackwardLoop loop => loop with { Body = Simplify(loop.Body) },
        _ => node,
    }).ToList();

    /// <summary>Bottom up: the children first, then the node.</summary>
    public static Expr Simplify(Expr expr) => Rewrite(expr.Map(Simplify));

    private static Expr Rewrite(Expr expr) => expr switch
    {
        // Constant folding.
        Binary { Op: "+", Left: Number l, Right: Number r } => new Number(l.Value + r.Value),
        Binary { Op: "-", Left: Number l, Right: Number r } => new Number(l.Value - r.Value),
        Binary { Op: "*", Left: Number l, Right: Number r } => new Number(l.Value * r.Value),
        Negate { Operand: Number n } => new Number(-n.Value),
        Negate { Operand: Negate n } => n.Operand,

        // Multiplication by ±1 and by a reciprocal.
        Binary { Op: "*", Left: var l, Right: Number { Value: 1 } } => l,
        Binary { Op: "*", Left: Number { Value: 1 }, Right: var r } => r,
        Binary { Op: "*", Left: var l, Right: Number { Value: -1 } } => Rewrite(new Negate(l)),
        Binary { Op: "*", Left: Number { Value: -1 }, Right: var r } => Rewrite(new Negate(r)),
        Binary { Op: "/", Left: var l, Right: Number { Value: 1 } } => l,
        Binary { Op: "*", Left: var g, Right: Binary { Op: "/", Left: Number { Value: 1 }, Right: var d } } => new Binary("/", g, d),
        Binary { Op: "*", Left: var g, Right: Binary { Op: "/", Left: var n, Right: var d } } => new Binary("/", Rewrite(new Binary("*", g, n)), d),
        Binary { Op: "*", Left: var g, Right: Negate n } => Rewrite(new Negate(Rewrite(new Binary("*", g, n.Operand)))),

        // a + (−b) = a − b exactly.
        Binary { Op: "+", Left: var l, Right: Negate n } => new Binary("-", l, n.Operand),

        // A sign moves to the leftmost factor: −(a·b) = (−a)·b exactly.
        Negate { Operand: Binary { Op: "*" or "/" } b } => b with { Left = Rewrite(new Negate(b.Left)) },

        // g · (c ? x : y) = c ? g·x : g·y, so a mask reads as a choice.
        Binary { Op: "*", Left: var g, Right: Conditional c } => c with
        {
            WhenTrue = Rewrite(new Binary("*", g, c.WhenTrue)),
            WhenFalse = Rewrite(new Binary("*", g, c.WhenFalse)),
        },
        Binary { Op: "*", Left: _, Right: Number { Value: 0 } } => new Number(0),

        MathCall { Name: "Pow" } m when m.Args[1] is Number { Value: 1 } => m.Args[0],
        _ => expr,
    };
}

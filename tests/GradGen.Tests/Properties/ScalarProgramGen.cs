using CsCheck;

namespace GradGen.Tests.Properties;

/// <summary>A random scalar program: its method text (in <c>double</c>) and the point it is checked at.</summary>
public sealed record ScalarProgram(string Body, double[] Point, double[] Items)
{
    public override string ToString() => $"at a, b, c = {string.Join(", ", Point)}; xs = {string.Join(", ", Items)}\n{Body}";
}

/// <summary>
/// Generates well-typed [Differentiable] methods over the constructs GradGen supports: arithmetic, Math functions with
/// guarded domains, int data (casts, %, increments), array reads, calls of a [Differentiable] helper, conditional
/// operators, branches with a <c>return</c> at any depth, and <c>for</c>/<c>while</c> loops carrying values. Every program
/// returns on every path. Written as text once; the dual-number twin is the same text over another type
/// (<see cref="DualPrelude"/>), so both evaluate the same operations in the same order.
/// </summary>
/// <param name="mode">The modes the attribute asks for beyond reverse (<c>Pushforward = true</c>, <c>Hessian = true</c>); the
/// helper the programs call has them too.</param>
public sealed class ScalarProgramGen(string? mode = null)
{
    public static readonly Gen<ScalarProgram> Program = new ScalarProgramGen().Programs;

    public static readonly Gen<ScalarProgram> ForwardProgram = new ScalarProgramGen("Pushforward = true").Programs;

    public static readonly Gen<ScalarProgram> HessianProgram = new ScalarProgramGen("Hessian = true").Programs;

    /// <summary>The attribute of a program, or of the helper it calls.</summary>
    public static string Attribute(string? mode) => mode is null ? "[Differentiable]" : $"[Differentiable({mode})]";

    private Gen<ScalarProgram> Programs =>
        from body in Block(["a", "b", "c"], depth: 0, inLoop: false, top: true)
        from point in Gen.Double[-1.5, 1.5].Array[3]
        from items in Gen.Double[-1.5, 1.5].Array[3]
        select new ScalarProgram(
            Attribute(mode) + " public static double F(double a, double b, double c, double[] xs, int n)\n{\n" + body + "}\n",
            point, items);

    /// <summary>Statements ending in a return when <paramref name="top"/> (the method's own block).</summary>
    private Gen<string> Block(IReadOnlyList<string> scope, int depth, bool inLoop, bool top) =>
        Gen.Int[top ? 2 : 0, top ? 7 : 4].SelectMany(count => Statements(scope, count, depth, inLoop, top, 0));

    private Gen<string> Statements(IReadOnlyList<string> scope, int count, int depth, bool inLoop, bool top, int declared)
    {
        if (count == 0) return top ? Expr(scope, 3).Select(e => $"return {e};\n") : Gen.Const("");
        var name = $"v{depth}_{declared}";
        return Statement(scope, name, depth, inLoop).SelectMany(statement =>
        {
            if (statement.Returns) return Gen.Const(statement.Text);
            var next = statement.Declares ? scope.Append(name).ToList() : scope;
            return Statements(next, count - 1, depth, inLoop, top, declared + 1).Select(rest => statement.Text + rest);
        });
    }

    /// <summary>CsCheck's frequency choice, leaving out the choices of weight 0 (not possible here).</summary>
    private Gen<T> Frequency<T>(params (int Weight, Gen<T> Gen)[] choices) =>
        Gen.Frequency(choices.Where(c => c.Weight > 0).Select(c => (c.Weight, (IGen<T>)c.Gen)).ToArray());

    private readonly record struct Code(string Text, bool Declares = false, bool Returns = false);

    private Gen<Code> Statement(IReadOnlyList<string> scope, string name, int depth, bool inLoop)
    {
        // Loop counters are read, never written.
        var assignable = scope.Where(v => !v.StartsWith('i')).ToArray();
        var simple = Frequency(
            (4, Expr(scope, 3).Select(e => new Code($"double {name} = {e};\n", Declares: true))),
            (3, Gen.Select(Gen.OneOf(assignable), Gen.OneOf("=", "+=", "-=", "*="), Expr(scope, 2), (v, op, e) => new Code($"{v} {op} {e};\n"))),
            (1, Gen.OneOf(assignable).Select(v => new Code($"{v}++;\n"))));
        if (depth >= 3) return simple;
        var returns = inLoop
            ? Gen.Const(new Code(";\n"))
            : Expr(scope, 2).Select(e => new Code($"return {e};\n", Returns: true));
        return Frequency(
            (6, simple),
            (2, Gen.Select(Condition(scope), Block(scope, depth + 1, inLoop, top: false), Block(scope, depth + 1, inLoop, top: false), Gen.Bool,
                (c, t, e, hasElse) => new Code($"if ({c})\n{{\n{t}}}\n" + (hasElse ? $"else\n{{\n{e}}}\n" : "")))),
            (inLoop ? 0 : 1, returns),
            (inLoop ? 0 : 2, Gen.Select(Gen.Int[1, 3], Block(scope.Append($"i{depth}").ToList(), depth + 1, inLoop: true, top: false),
                (k, body) => new Code($"for (int i{depth} = 0; i{depth} < {k}; i{depth}++)\n{{\n{body}}}\n"))),
            (inLoop ? 0 : 1, Gen.Select(Gen.Int[1, 3], Block(scope, depth + 1, inLoop: true, top: false),
                (k, body) => new Code($"int {name}k = 0;\nwhile ({name}k < {k})\n{{\n{body}{name}k++;\n}}\n"))));
    }

    private Gen<string> Condition(IReadOnlyList<string> scope) =>
        Gen.Select(Expr(scope, 1), Gen.OneOf("<", ">", "<=", ">="), Expr(scope, 1), Gen.Int[0, 4], Expr(scope, 1),
            (l, op, r, join, other) => join switch
            {
                0 => $"{l} {op} {r} && {other} > -0.5",
                1 => $"{l} {op} {r} || {other} < 0.25",
                _ => $"{l} {op} {r}",
            });

    /// <summary>A double-valued expression; loop counters (i0…) enter through conversions and array indices.</summary>
    private Gen<string> Expr(IReadOnlyList<string> scope, int depth)
    {
        var variables = scope.Where(v => !v.StartsWith('i')).ToArray();
        var counters = scope.Where(v => v.StartsWith('i')).ToArray();
        var leaf = Frequency(
            (6, Gen.OneOf(variables)),
            (2, Gen.Double[-2, 2].Select(d => Math.Round(d, 2).ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture))),
            (1, Gen.Int[0, 2].Select(k => $"xs[{k}]")),
            (counters.Length > 0 ? 2 : 0, Gen.OneOf(counters.Length > 0 ? counters : ["0"]).Select(i => $"xs[({i} + n) % 3] * {i}")),
            (1, Gen.Const("n")));
        if (depth == 0) return leaf;
        var inner = Expr(scope, depth - 1);
        return Frequency(
            (4, leaf),
            (4, Gen.Select(inner, Gen.OneOf("+", "-", "*"), inner, (l, op, r) => $"({l} {op} {r})")),
            (1, Gen.Select(inner, inner, (l, r) => $"({l} / ({r} * {r} + 1.0))")),
            (3, Gen.Select(Gen.OneOf("Sin", "Cos", "Tanh", "Atan", "Exp", "Log", "Sqrt", "Asinh", "Cbrt"), inner, (f, e) => f switch
            {
                "Exp" => $"Math.Exp(Math.Tanh({e}))",
                "Log" or "Sqrt" => $"Math.{f}({e} * {e} + 0.5)",
                "Cbrt" => $"Math.Cbrt({e} * {e} + 1.0)",
                _ => $"Math.{f}({e})",
            })),
            (1, Gen.Select(inner, inner, (l, r) => $"Math.Pow({l} * {l} + 1.0, Math.Tanh({r}))")),
            (1, Gen.Select(inner, inner, (l, r) => $"Math.Max({l}, {r})")),
            (1, Gen.Select(inner, inner, (l, r) => $"H({l}, {r})")),
            (1, inner.Select(e => $"((int)({e} * 2.0) % 3)")),
            (1, Gen.Select(inner, inner, inner, (c, t, f) => $"({c} > 0.1 ? {t} : {f})")));
    }
}

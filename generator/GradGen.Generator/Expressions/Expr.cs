using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GradGen.Generator.Model;

namespace GradGen.Generator.Expressions;

/// <summary>
/// A small expression tree for the code GradGen writes: forward operations and the local derivatives
/// of the rule table. Rules build it, the simplifier rewrites it, the printer turns it into C#.
/// </summary>
internal abstract record Expr
{
    public static Expr operator +(Expr left, Expr right) => new Binary("+", left, right);

    public static Expr operator -(Expr left, Expr right) => new Binary("-", left, right);

    public static Expr operator *(Expr left, Expr right) => new Binary("*", left, right);

    public static Expr operator /(Expr left, Expr right) => new Binary("/", left, right);

    public static Expr operator %(Expr left, Expr right) => new Binary("%", left, right);

    public static Expr operator -(Expr operand) => new Negate(operand);

    public static implicit operator Expr(double value) => new Number(value);

    /// <summary>The expressions this one is made of, in order: the one place that knows each node's shape.</summary>
    public IEnumerable<Expr> Children => this switch
    {
        Negate n => new[] { n.Operand },
        Binary b => new[] { b.Left, b.Right },
        Conditional c => new[] { c.Condition, c.WhenTrue, c.WhenFalse },
        MathCall m => m.Args,
        Call c => c.Receiver is null ? c.Args : c.Args.Prepend(c.Receiver),
        MatMul p => new[] { p.A, p.B },
        Member m => new[] { m.Target },
        Element e => new[] { e.Array, e.Index },
        Cast c => new[] { c.Operand },
        _ => Array.Empty<Expr>(),
    };

    /// <summary>This node with each child replaced by <paramref name="map"/>(child); leaves are returned as they are.</summary>
    public Expr Map(Func<Expr, Expr> map) => this switch
    {
        Negate n => n with { Operand = map(n.Operand) },
        Binary b => b with { Left = map(b.Left), Right = map(b.Right) },
        Conditional c => c with { Condition = map(c.Condition), WhenTrue = map(c.WhenTrue), WhenFalse = map(c.WhenFalse) },
        MathCall m => m with { Args = m.Args.Select(map).ToImmutableArray() },
        Call c => c with { Args = c.Args.Select(map).ToImmutableArray(), Receiver = c.Receiver is null ? null : map(c.Receiver) },
        MatMul p => p with { A = map(p.A), B = map(p.B) },
        Member m => m with { Target = map(m.Target) },
        Element e => e with { Array = map(e.Array), Index = map(e.Index) },
        Cast c => c with { Operand = map(c.Operand) },
        _ => this,
    };

    /// <summary>The names of the variables the expression reads.</summary>
    public IEnumerable<string> Variables() => this is Variable v ? new[] { v.Name } : Children.SelectMany(c => c.Variables());

    public static Expr Of(Operand operand) => operand switch
    {
        { IsConstant: false } => new Variable(operand.Variable!),
        { IsInteger: true } => new Raw(((long)operand.Constant).ToString(System.Globalization.CultureInfo.InvariantCulture)),
        _ => new Number(operand.Constant),
    };
}

internal sealed record Variable(string Name) : Expr;

/// <summary>A constant, printed as a literal of the type of the expression it appears in.</summary>
internal sealed record Number(double Value) : Expr;

internal sealed record Negate(Expr Operand) : Expr;

/// <param name="Op">One of <c>+ - * / %</c> or a comparison <c>&gt; &lt; &gt;= &lt;=</c>.</param>
internal sealed record Binary(string Op, Expr Left, Expr Right) : Expr;

internal sealed record Conditional(Expr Condition, Expr WhenTrue, Expr WhenFalse) : Expr;

/// <summary>
/// A call of <c>Math.Name</c> or <c>MathF.Name</c>, depending on the type of the expression; with
/// <paramref name="OnNumberType"/>, of the generic-math <c>double.Name</c> or <c>float.Name</c> (Exp2, Hypot, Clamp).
/// </summary>
internal sealed record MathCall(string Name, ImmutableArray<Expr> Args, bool OnNumberType = false) : Expr;

/// <summary>A call of a fully qualified method, e.g. <c>global::GradGen.Matrix.Relu</c>, or of a model's method on <paramref name="Receiver"/>.</summary>
/// <param name="ReturnsMatrix">Whether it is a runtime function returning a matrix, which the emitter takes from the workspace.</param>
/// <param name="Receiver">The model an instance method is called on (<c>this.Layers[i]</c>); null for a static method.</param>
internal sealed record Call(string Function, ImmutableArray<Expr> Args, bool ReturnsMatrix = false, Expr? Receiver = null) : Expr;

/// <summary>The matrix product <c>A·B</c>, either operand transposed in place (never materialized).</summary>
internal sealed record MatMul(Expr A, Expr B, bool TransposeA = false, bool TransposeB = false) : Expr;

/// <summary><c>Target.Name</c>, e.g. <c>yhat.Rows</c>.</summary>
internal sealed record Member(Expr Target, string Name) : Expr;

/// <summary><c>Array[Index]</c>, an array's item; the index is an <c>int</c>.</summary>
internal sealed record Element(Expr Array, Expr Index) : Expr;

/// <summary>Text printed as is.</summary>
internal sealed record Raw(string Text) : Expr;

/// <summary>An explicit conversion; its operand is printed in the other type.</summary>
internal sealed record Cast(NumType Type, NumType OperandType, Expr Operand) : Expr;

using System.Collections.Immutable;
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

/// <summary>A call of a fully qualified method, e.g. <c>global::GradGen.Matrix.MatMul</c>; arguments may be <see cref="Raw"/> text such as <c>transposeB: true</c>.</summary>
internal sealed record Call(string Function, ImmutableArray<Expr> Args) : Expr;

/// <summary><c>Target.Name</c>, e.g. <c>yhat.Rows</c>.</summary>
internal sealed record Member(Expr Target, string Name) : Expr;

/// <summary><c>Array[Index]</c>, an array's item; the index is an <c>int</c>.</summary>
internal sealed record Element(Expr Array, Expr Index) : Expr;

/// <summary>Text printed as is.</summary>
internal sealed record Raw(string Text) : Expr;

/// <summary>An explicit conversion; its operand is printed in the other type.</summary>
internal sealed record Cast(NumType Type, NumType OperandType, Expr Operand) : Expr;

using System;
using System.Globalization;
using System.Linq;
using GradGen.Generator.Model;

namespace GradGen.Generator.Expressions;

/// <summary>Prints an <see cref="Expr"/> as C#, with the fewest parentheses that keep its meaning.</summary>
internal static class ExprPrinter
{
    /// <param name="qualified">True for code (<c>global::System.Math.Exp</c>, <c>2.0</c>), false for comments (<c>Exp</c>, <c>2</c>).</param>
    public static string Print(Expr expr, NumType type, bool qualified = true) => Print(expr, type, qualified, 0);

    public static string Literal(double value, NumType type)
    {
        type = type.Element();
        if (type == NumType.Int) return ((long)value).ToString(CultureInfo.InvariantCulture);
        if (double.IsNaN(value)) return $"{type.Keyword()}.NaN";
        if (double.IsPositiveInfinity(value)) return $"{type.Keyword()}.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return $"{type.Keyword()}.NegativeInfinity";
        if (type == NumType.Float) return ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(['.', 'E', 'e']) >= 0 ? text : text + ".0";
    }

    /// <summary>What a call calls: <c>global::N.T.F</c>, or <c>this.Layers[i].Forward</c> for a model's method; <c>F</c> in a comment.</summary>
    public static string Callee(Call call, bool qualified = true) =>
        (call.Receiver is { } receiver ? Print(receiver, NumType.Int, qualified, LevelPrimary) + "." : "")
        + (qualified ? call.Function : call.Function.Substring(call.Function.LastIndexOf('.') + 1));

    private static string Print(Expr expr, NumType type, bool qualified, int outer)
    {
        var precedence = Precedence(expr);
        var text = expr switch
        {
            Variable v => v.Name,
            Number n => qualified ? Literal(n.Value, type) : n.Value.ToString("R", CultureInfo.InvariantCulture),
            Negate n => "-" + Print(n.Operand, type, qualified, LevelUnary + 1),
            Binary b => Print(b.Left, type, qualified, precedence) + " " + b.Op + " " + Print(b.Right, type, qualified, precedence + 1),
            Conditional c => Print(c.Condition, type, qualified, LevelConditional + 1) + " ? "
                + Print(c.WhenTrue, type, qualified, LevelConditional + 1) + " : " + Print(c.WhenFalse, type, qualified, LevelConditional),
            MathCall m => (qualified ? (m.OnNumberType ? type.Element().Keyword() : type.MathClass()) + "." : "") + m.Name
                + "(" + string.Join(", ", m.Args.Select(a => Print(a, type, qualified, 0))) + ")",
            Cast c => "(" + c.Type.Keyword() + ")" + Print(c.Operand, c.OperandType, qualified, LevelUnary + 1),
            Call c => Callee(c, qualified)
                + "(" + string.Join(", ", c.Args.Select(a => Print(a, type, qualified, 0))) + ")",
            MatMul p => Print(WorkspaceCalls.AsCall(p), type, qualified, outer),
            Member m => Print(m.Target, type, qualified, LevelPrimary) + "." + m.Name,
            Element e => Print(e.Array, type, qualified, LevelPrimary) + "[" + Print(e.Index, NumType.Int, qualified, 0) + "]",
            Raw r => r.Text,
            _ => throw new ArgumentOutOfRangeException(nameof(expr), expr, "Unknown expression."),
        };
        // A negative literal binds like a unary minus.
        if (expr is Number { Value: < 0 } && outer > LevelUnary) return "(" + text + ")";
        return precedence < outer ? "(" + text + ")" : text;
    }

    private const int LevelConditional = 1;
    private const int LevelComparison = 2;
    private const int LevelAdditive = 3;
    private const int LevelMultiplicative = 4;
    private const int LevelUnary = 5;
    private const int LevelPrimary = 6;

    private static int Precedence(Expr expr) => expr switch
    {
        Conditional => LevelConditional,
        Binary { Op: "+" or "-" } => LevelAdditive,
        Binary { Op: "*" or "/" or "%" } => LevelMultiplicative,
        Binary => LevelComparison,
        Negate or Cast => LevelUnary,
        _ => LevelPrimary,
    };
}

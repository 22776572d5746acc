using System;
using GradGen.Generator.Model;

namespace GradGen.Generator.Expressions;

/// <summary>Prints a branch <see cref="Condition"/> as C#, parenthesizing every compound operand.</summary>
internal static class ConditionPrinter
{
    public static string Print(Condition condition) => condition switch
    {
        Comparison c => Operand(c.Left) + " " + c.Op + " " + Operand(c.Right),
        Logical l => Inner(l.Left) + " " + l.Op + " " + Inner(l.Right),
        Not n => "!" + Inner(n.Operand),
        BoolConstant b => b.Value ? "true" : "false",
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, "Unknown condition."),
    };

    private static string Inner(Condition condition) => condition is BoolConstant ? Print(condition) : "(" + Print(condition) + ")";

    // Comparisons are in double: a float operand converts implicitly and exactly, as in the user's code.
    private static string Operand(Operand operand) => ExprPrinter.Print(Expr.Of(operand), NumType.Double);
}

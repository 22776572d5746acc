using System;
using GradGen.Generator.Model;

namespace GradGen.Generator.Expressions;

/// <summary>Prints a branch <see cref="Condition"/> as C#, parenthesizing every compound operand.</summary>
internal static class ConditionPrinter
{
    /// <param name="rename">Maps variable names to the names to print, e.g. a loop's carried values to their names outside an iteration.</param>
    public static string Print(Condition condition, Func<string, string>? rename = null) => condition switch
    {
        Comparison c => Operand(c.Left, c.Type, rename) + " " + c.Op + " " + Operand(c.Right, c.Type, rename),
        Logical l => Inner(l.Left, rename) + " " + l.Op + " " + Inner(l.Right, rename),
        Not n => "!" + Inner(n.Operand, rename),
        BoolConstant b => b.Value ? "true" : "false",
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, "Unknown condition."),
    };

    private static string Inner(Condition condition, Func<string, string>? rename) =>
        condition is BoolConstant ? Print(condition) : "(" + Print(condition, rename) + ")";

    // Scalar comparisons are in double: a float operand converts implicitly and exactly, as in the user's code.
    private static string Operand(Operand operand, NumType type, Func<string, string>? rename) =>
        ExprPrinter.Print(operand.Variable is { } name && rename is not null ? new Variable(rename(name)) : Expr.Of(operand), type);
}

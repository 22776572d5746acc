using System;
using System.Collections.Immutable;
using System.Linq;

namespace GradGen.Generator.Expressions;

/// <summary>
/// Rewrites the matrix operations of an expression into calls that take their result from the pullback's
/// workspace: <c>a + b</c> becomes <c>Matrix&lt;T&gt;.Add(a, b, workspace)</c>, <c>Matrix.Relu(z)</c> becomes
/// <c>Matrix.Relu(z, workspace)</c>. Scalar arithmetic is left as written.
/// </summary>
internal static class WorkspaceCalls
{
    private const string Runtime = "global::GradGen.Matrix.";

    /// <param name="isMatrix">Whether a variable holds a matrix (an array variable: whether its items are matrices).</param>
    /// <param name="matrixType">The C# type of the expression's matrices, e.g. <c>global::GradGen.Matrix&lt;double&gt;</c>.</param>
    /// <param name="workspace">The name of the workspace variable.</param>
    public static Expr Lower(Expr expr, Func<string, bool> isMatrix, string matrixType, string workspace)
    {
        Expr Visit(Expr e) => e switch
        {
            Binary { Op: "+" or "-" or "*" or "/" } b when IsMatrix(b, isMatrix) =>
                new Call(matrixType + "." + Names[b.Op], ImmutableArray.Create(Visit(b.Left), Visit(b.Right), new Variable(workspace))),
            Negate n when IsMatrix(n, isMatrix) => new Call(matrixType + ".Negate", ImmutableArray.Create(Visit(n.Operand), new Variable(workspace))),
            MatMul p => Visit(AsCall(p)),
            // Named, since some functions have optional parameters before it (MatMul's transposeA, transposeB).
            Call { ReturnsMatrix: true } c => c with { Args = c.Args.Select(Visit).Append(new Raw("workspace: " + workspace)).ToImmutableArray() },
            _ => e.Map(Visit),
        };
        return Visit(expr);
    }

    /// <summary>Whether the expression's value is a matrix: a matrix variable or item, matrix arithmetic, or a <c>Matrix</c> function that returns one.</summary>
    public static bool IsMatrix(Expr expr, Func<string, bool> isMatrix) => expr switch
    {
        Variable v => isMatrix(v.Name),
        Element { Array: Variable array } => isMatrix(array.Name),
        Binary { Op: "+" or "-" or "*" or "/" } b => IsMatrix(b.Left, isMatrix) || IsMatrix(b.Right, isMatrix),
        Negate n => IsMatrix(n.Operand, isMatrix),
        Call c => c.ReturnsMatrix,
        MatMul => true,
        _ => false,
    };

    /// <summary>The product as the runtime's call, its transpose flags as named arguments.</summary>
    public static Call AsCall(MatMul product) => new(Runtime + "MatMul", new[] { product.A, product.B }
        .Concat(product.TransposeA ? [new Raw("transposeA: true")] : Array.Empty<Expr>())
        .Concat(product.TransposeB ? [new Raw("transposeB: true")] : Array.Empty<Expr>()).ToImmutableArray(), ReturnsMatrix: true);

    private static readonly ImmutableDictionary<string, string> Names = new[] { ("+", "Add"), ("-", "Subtract"), ("*", "Multiply"), ("/", "Divide") }
        .ToImmutableDictionary(p => p.Item1, p => p.Item2);
}

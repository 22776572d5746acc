using System;
using System.Numerics.Tensors;

namespace GradGen;

/// <summary>
/// Elementwise arithmetic, as operators for forward passes and as named methods that take their result from a
/// <see cref="Workspace"/> (what generated backward code calls).
/// </summary>
public sealed partial class Matrix<T>
{
    /// <summary>
    /// Elementwise sum; either operand may also be a 1×n row vector, added to every row (a bias), or an m×1
    /// column vector, added to every column (numpy's broadcasting).
    /// </summary>
    public static Matrix<T> operator +(Matrix<T> a, Matrix<T> b) => Add(a, b);

    /// <summary>Elementwise difference; either operand may also be a 1×n row vector or an m×1 column vector, broadcast as in <c>+</c>.</summary>
    public static Matrix<T> operator -(Matrix<T> a, Matrix<T> b) => Subtract(a, b);

    /// <summary>
    /// Elementwise (Hadamard) product a ⊙ b, as numpy's <c>*</c>, with <paramref name="b"/> broadcast as in <c>+</c>.
    /// The matrix product is <see cref="Matrix.MatMul{T}"/>. Either operand broadcasts as in <c>+</c>.
    /// </summary>
    public static Matrix<T> operator *(Matrix<T> a, Matrix<T> b) => Multiply(a, b);

    /// <summary>Elementwise quotient, either operand broadcast as in <c>+</c>.</summary>
    public static Matrix<T> operator /(Matrix<T> a, Matrix<T> b) => Divide(a, b);

    public static Matrix<T> operator -(Matrix<T> a) => Negate(a);

    public static Matrix<T> operator +(Matrix<T> a, T s) => Add(a, s);

    public static Matrix<T> operator +(T s, Matrix<T> a) => Add(s, a);

    public static Matrix<T> operator -(Matrix<T> a, T s) => Subtract(a, s);

    public static Matrix<T> operator -(T s, Matrix<T> a) => Subtract(s, a);

    public static Matrix<T> operator *(Matrix<T> a, T s) => Multiply(a, s);

    public static Matrix<T> operator *(T s, Matrix<T> a) => Multiply(s, a);

    public static Matrix<T> operator /(Matrix<T> a, T s) => Divide(a, s);

    public static Matrix<T> operator /(T s, Matrix<T> a) => Divide(s, a);

    /// <summary>a + b, broadcast as <c>+</c>, into a matrix of <paramref name="workspace"/> (new when it is null).</summary>
    public static Matrix<T> Add(Matrix<T> a, Matrix<T> b, Workspace? workspace = null) => Broadcast("+", a, b, TensorPrimitives.Add, TensorPrimitives.Add, (x, y, d) => TensorPrimitives.Add(y, x, d), workspace);

    /// <summary>a − b, broadcast as <c>-</c>, into a matrix of <paramref name="workspace"/>.</summary>
    public static Matrix<T> Subtract(Matrix<T> a, Matrix<T> b, Workspace? workspace = null) => Broadcast("-", a, b, TensorPrimitives.Subtract, TensorPrimitives.Subtract, TensorPrimitives.Subtract, workspace);

    /// <summary>a ⊙ b, broadcast as <c>*</c>, into a matrix of <paramref name="workspace"/>.</summary>
    public static Matrix<T> Multiply(Matrix<T> a, Matrix<T> b, Workspace? workspace = null) => Broadcast("*", a, b, TensorPrimitives.Multiply, TensorPrimitives.Multiply, (x, y, d) => TensorPrimitives.Multiply(y, x, d), workspace);

    /// <summary>a ⊘ b, broadcast as <c>/</c>, into a matrix of <paramref name="workspace"/>.</summary>
    public static Matrix<T> Divide(Matrix<T> a, Matrix<T> b, Workspace? workspace = null) => Broadcast("/", a, b, TensorPrimitives.Divide, TensorPrimitives.Divide, TensorPrimitives.Divide, workspace);

    public static Matrix<T> Negate(Matrix<T> a, Workspace? workspace = null)
    {
        var result = Like(a, workspace);
        TensorPrimitives.Negate(a.Span, result.Span);
        return result;
    }

    public static Matrix<T> Add(Matrix<T> a, T s, Workspace? workspace = null) => Map(a, s, TensorPrimitives.Add, workspace);

    public static Matrix<T> Add(T s, Matrix<T> a, Workspace? workspace = null) => Map(a, s, TensorPrimitives.Add, workspace);

    public static Matrix<T> Subtract(Matrix<T> a, T s, Workspace? workspace = null) => Map(a, s, TensorPrimitives.Subtract, workspace);

    public static Matrix<T> Subtract(T s, Matrix<T> a, Workspace? workspace = null)
    {
        var result = Like(a, workspace);
        TensorPrimitives.Subtract(s, a.Span, result.Span);
        return result;
    }

    public static Matrix<T> Multiply(Matrix<T> a, T s, Workspace? workspace = null) => Map(a, s, TensorPrimitives.Multiply, workspace);

    public static Matrix<T> Multiply(T s, Matrix<T> a, Workspace? workspace = null) => Map(a, s, TensorPrimitives.Multiply, workspace);

    public static Matrix<T> Divide(Matrix<T> a, T s, Workspace? workspace = null) => Map(a, s, TensorPrimitives.Divide, workspace);

    public static Matrix<T> Divide(T s, Matrix<T> a, Workspace? workspace = null)
    {
        var result = Like(a, workspace);
        TensorPrimitives.Divide(s, a.Span, result.Span);
        return result;
    }

    /// <summary>A matrix of <paramref name="like"/>'s shape whose elements the caller overwrites, from <paramref name="workspace"/> or new.</summary>
    internal static Matrix<T> Like(Matrix<T> like, Workspace? workspace) => Workspace.Matrix<T>(like.Rows, like.Columns, workspace);

    private delegate void Binary(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);

    private delegate void WithScalar(ReadOnlySpan<T> x, T y, Span<T> destination);

    private delegate void ScalarWith(T x, ReadOnlySpan<T> y, Span<T> destination);

    /// <summary>
    /// Elementwise <paramref name="operation"/> with numpy's broadcasting: either operand may be a 1×n row, repeated over the
    /// other's rows, or an m×1 column, repeated over its columns. Any other pair of shapes is an error naming both.
    /// </summary>
    private static Matrix<T> Broadcast(string operation, Matrix<T> a, Matrix<T> b, Binary kernel, WithScalar scalarKernel, ScalarWith scalarFirst, Workspace? workspace)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (b.Rows == a.Rows && b.Columns == a.Columns || Broadcasts(b, a)) return BroadcastRight(a, b, kernel, scalarKernel, workspace);
        if (Broadcasts(a, b))
        {
            var result = Like(b, workspace);
            for (var r = 0; r < b.Rows; r++)
            {
                if (a.Rows == 1) kernel(a.Span, b.Row(r), result.Row(r));
                else scalarFirst(a[r, 0], b.Row(r), result.Row(r));
            }
            return result;
        }
        throw NotBroadcast(operation, a, b);
    }

    /// <summary>The error of an operation over two shapes that do not broadcast, naming both (also what the fused activations of a sum throw).</summary>
    internal static ArgumentException NotBroadcast(string operation, Matrix<T> a, Matrix<T> b) =>
        new($"{operation}: shapes {a.Shape} and {b.Shape} do not broadcast: one operand must have the other's shape, or be a 1×n row or an m×1 column of it.");

    /// <summary>Whether <paramref name="small"/> is a 1×n row or an m×1 column of <paramref name="full"/>'s shape (and not that shape itself).</summary>
    internal static bool Broadcasts(Matrix<T> small, Matrix<T> full) =>
        (small.Rows == 1 && small.Columns == full.Columns || small.Columns == 1 && small.Rows == full.Rows) && small.Length < full.Length;

    private static Matrix<T> BroadcastRight(Matrix<T> a, Matrix<T> b, Binary kernel, WithScalar scalarKernel, Workspace? workspace)
    {
        var result = Like(a, workspace);
        if (b.Rows == a.Rows && b.Columns == a.Columns)
        {
            Kernels.SharedRows.Run(a.Rows, a.Columns, (a, b, result, kernel), static (s, first, count) =>
                s.kernel(s.a.RowsOf(first, count), s.b.RowsOf(first, count), s.result.RowsOf(first, count)));
            return result;
        }
        if (b.Rows == 1 && b.Columns == a.Columns)
        {
            Kernels.SharedRows.Run(a.Rows, a.Columns, (a, b, result, kernel), static (s, first, count) =>
            {
                for (var r = first; r < first + count; r++) s.kernel(s.a.Row(r), s.b.Span, s.result.Row(r));
            });
            return result;
        }
        if (b.Columns == 1 && b.Rows == a.Rows)
        {
            Kernels.SharedRows.Run(a.Rows, a.Columns, (a, b, result, scalarKernel), static (s, first, count) =>
            {
                for (var r = first; r < first + count; r++) s.scalarKernel(s.a.Row(r), s.b[r, 0], s.result.Row(r));
            });
            return result;
        }
        throw new InvalidOperationException("Unreachable: the shapes were checked.");
    }

    private static Matrix<T> Map(Matrix<T> a, T s, WithScalar kernel, Workspace? workspace)
    {
        var result = Like(a, workspace);
        kernel(a.Span, s, result.Span);
        return result;
    }
}

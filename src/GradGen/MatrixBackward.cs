using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace GradGen;

/// <summary>The helpers of generated backward code: adjoint shapes, masks, and the fused pullbacks of activations.</summary>
public static partial class Matrix
{
    /// <summary>A zero matrix of the shape of <paramref name="like"/>, from <paramref name="workspace"/> when there is one.</summary>
    public static Matrix<T> ZerosLike<T>(Matrix<T> like, Workspace? workspace) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Matrix<T>.Like(like, workspace);
        if (workspace is not null) result.Span.Clear();
        return result;
    }

    /// <summary>Zero matrices shaped like the items of <paramref name="like"/>: the adjoint of an array of matrices.</summary>
    public static Matrix<T>[] ZerosLike<T>(Matrix<T>[] like, Workspace? workspace) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Workspace.Array<Matrix<T>>(like.Length, workspace);
        for (var i = 0; i < like.Length; i++) result[i] = ZerosLike(like[i], workspace);
        return result;
    }

    /// <summary>
    /// <paramref name="g"/> reduced to the shape of <paramref name="like"/>: itself when the shapes agree, its column
    /// sums when <paramref name="like"/> is a 1×n row vector that was broadcast over the rows, its row sums when
    /// <paramref name="like"/> is an m×1 column vector broadcast over the columns.
    /// </summary>
    public static Matrix<T> SumToShapeOf<T>(Matrix<T> g, Matrix<T> like, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (g.Rows == like.Rows && g.Columns == like.Columns) return g;
        if (like.Rows == 1 && g.Columns == like.Columns) return ColumnSums(g, workspace);
        if (like.Columns == 1 && g.Rows == like.Rows) return RowSums(g, workspace);
        throw new ArgumentException($"SumToShapeOf: an adjoint of shape {g.Shape} does not reduce to {like.Shape}.");
    }

    /// <summary>
    /// <see cref="SumToShapeOf{T}"/> in a matrix never <paramref name="g"/> itself (a copy where the shapes agree): the
    /// first contribution to a parameter's adjoint, which must not share its matrix with another adjoint.
    /// </summary>
    public static Matrix<T> SumToShapeOfCopy<T>(Matrix<T> g, Matrix<T> like, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sum = SumToShapeOf(g, like, workspace);
        if (!ReferenceEquals(sum, g)) return sum;
        var copy = Matrix<T>.Like(g, workspace);
        g.Span.CopyTo(copy.Span);
        return copy;
    }

    /// <summary><paramref name="g"/> where <paramref name="x"/> is positive, 0 elsewhere: the backward of <see cref="Relu{T}"/>.</summary>
    public static Matrix<T> MaskWherePositive<T>(Matrix<T> g, Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise<T, Mask<T>>("MaskWherePositive", g, x, workspace);

    /// <summary>
    /// <see cref="MaskWherePositive{T}(Matrix{T}, Matrix{T}, Workspace?)"/>, and <paramref name="summed"/>, a new matrix
    /// holding <see cref="SumToShapeOfCopy{T}"/> of the result to the shape of <paramref name="like"/>: the gradient of the
    /// bias added before the activation, its column sums made in the same pass, row by row while each row is in the cache.
    /// </summary>
    public static Matrix<T> MaskWherePositive<T>(Matrix<T> g, Matrix<T> x, Matrix<T> like, out Matrix<T> summed, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        ElementwiseAndSum<T, Mask<T>>("MaskWherePositive", g, x, like, out summed, workspace);

    /// <summary>g ⊙ σ ⊙ (1 − σ) in one pass, from the sigmoid's output σ: the backward of <see cref="Sigmoid{T}"/>.</summary>
    public static Matrix<T> SigmoidBackward<T>(Matrix<T> g, Matrix<T> sigmoid, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise<T, SigmoidSlope<T>>("SigmoidBackward", g, sigmoid, workspace);

    /// <inheritdoc cref="MaskWherePositive{T}(Matrix{T}, Matrix{T}, Matrix{T}, out Matrix{T}, Workspace?)"/>
    public static Matrix<T> SigmoidBackward<T>(Matrix<T> g, Matrix<T> sigmoid, Matrix<T> like, out Matrix<T> summed, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        ElementwiseAndSum<T, SigmoidSlope<T>>("SigmoidBackward", g, sigmoid, like, out summed, workspace);

    /// <summary>g ⊙ (1 − t²) in one pass, from the tanh's output t: the backward of <see cref="Tanh{T}"/>.</summary>
    public static Matrix<T> TanhBackward<T>(Matrix<T> g, Matrix<T> tanh, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        Elementwise<T, TanhSlope<T>>("TanhBackward", g, tanh, workspace);

    /// <inheritdoc cref="MaskWherePositive{T}(Matrix{T}, Matrix{T}, Matrix{T}, out Matrix{T}, Workspace?)"/>
    public static Matrix<T> TanhBackward<T>(Matrix<T> g, Matrix<T> tanh, Matrix<T> like, out Matrix<T> summed, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        ElementwiseAndSum<T, TanhSlope<T>>("TanhBackward", g, tanh, like, out summed, workspace);

    /// <summary>
    /// p ⊙ (g − Σⱼ gⱼpⱼ) row by row, from the softmax's output p: the backward of <see cref="Softmax{T}"/> as a
    /// vector-Jacobian product, never the n×n Jacobian.
    /// </summary>
    public static Matrix<T> SoftmaxBackward<T>(Matrix<T> g, Matrix<T> softmax, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>.RequireSameShape("SoftmaxBackward", g, softmax);
        var result = Matrix<T>.Like(g, workspace);
        for (var r = 0; r < g.Rows; r++)
        {
            var row = result.Row(r);
            TensorPrimitives.Subtract(g.Row(r), TensorPrimitives.Dot<T>(g.Row(r), softmax.Row(r)), row);
            TensorPrimitives.Multiply(row, softmax.Row(r), row);
        }
        return result;
    }

    /// <summary>
    /// scale · (p − onehot(labels)) without building the one-hot matrix: the fused backward of softmax followed by
    /// categorical cross-entropy over class labels (seed 002's formula, scale = g/N).
    /// </summary>
    public static Matrix<T> SoftmaxCrossEntropyBackward<T>(T scale, Matrix<T> p, int[] labels, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLabels("SoftmaxCrossEntropyBackward", labels, p, " probabilities");
        var result = Matrix<T>.Like(p, workspace);
        Kernels.SharedRows.Run(p.Rows, p.Columns, (p, labels, scale, result), static (s, first, count) => SoftmaxCrossEntropyRows(s.scale, s.p, s.labels, s.result, first, count));
        return result;
    }

    /// <summary>
    /// <see cref="SoftmaxCrossEntropyBackward{T}(T, Matrix{T}, int[], Workspace?)"/>, and <paramref name="summed"/>, a new
    /// matrix holding <see cref="SumToShapeOfCopy{T}"/> of the result to the shape of <paramref name="like"/>: the gradient
    /// of the output layer's bias, each block of rows summed as it is made, in the order of <see cref="ColumnSums{T}"/>.
    /// </summary>
    public static Matrix<T> SoftmaxCrossEntropyBackward<T>(T scale, Matrix<T> p, int[] labels, Matrix<T> like, out Matrix<T> summed, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!SumsColumnsOf(p, like))
        {
            var pass = SoftmaxCrossEntropyBackward(scale, p, labels, workspace);
            summed = SumToShapeOfCopy(pass, like, workspace);
            return pass;
        }
        RequireLabels("SoftmaxCrossEntropyBackward", labels, p, " probabilities");
        return RowsAndColumnSums(Matrix<T>.Like(p, workspace), (scale, p, labels),
            static (s, result, first, count) => SoftmaxCrossEntropyRows(s.scale, s.p, s.labels, result, first, count), out summed, workspace);
    }

    /// <summary>Rows first…first+count−1 of scale · (p − onehot(labels)) into <paramref name="result"/>.</summary>
    private static void SoftmaxCrossEntropyRows<T>(T scale, Matrix<T> p, int[] labels, Matrix<T> result, int first, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply(p.RowsOf(first, count), scale, result.RowsOf(first, count));
        for (var r = first; r < first + count; r++) result[r, labels[r]] -= scale;
    }

    /// <summary>A matrix of the shape of <paramref name="like"/> filled with <paramref name="value"/>: the backward of a sum.</summary>
    public static Matrix<T> Broadcast<T>(T value, Matrix<T> like, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Matrix<T>.Like(like, workspace);
        result.Span.Fill(value);
        return result;
    }

    /// <summary>
    /// Forward mode: the tangent of a broadcast operand (a 1×n row or an m×1 column) as a matrix of the result's shape;
    /// <paramref name="tangent"/> itself when it has that shape already.
    /// </summary>
    public static Matrix<T> BroadcastTo<T>(Matrix<T> tangent, Matrix<T> like, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        tangent.Rows == like.Rows && tangent.Columns == like.Columns ? tangent : Broadcast(tangent, like, workspace);

    /// <summary>The 1×n (or m×1) adjoint <paramref name="g"/> of column (or row) sums, broadcast back to the shape of <paramref name="like"/>.</summary>
    public static Matrix<T> Broadcast<T>(Matrix<T> g, Matrix<T> like, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Matrix<T>.Like(like, workspace);
        if (g.Rows == 1 && g.Columns == like.Columns)
        {
            for (var r = 0; r < like.Rows; r++) g.Span.CopyTo(result.Row(r));
        }
        else if (g.Columns == 1 && g.Rows == like.Rows)
        {
            for (var r = 0; r < like.Rows; r++) result.Row(r).Fill(g[r, 0]);
        }
        else
        {
            throw new ArgumentException($"Broadcast: an adjoint of shape {g.Shape} is neither a row nor a column of {like.Shape}.");
        }
        return result;
    }

    /// <summary>An elementwise formula of an adjoint g and a forward value x, for whole vectors and for the scalar tail.</summary>
    private interface IPullbackFormula<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract Vector<T> Apply(Vector<T> g, Vector<T> x);

        static abstract T Apply(T g, T x);
    }

    private readonly struct Mask<T> : IPullbackFormula<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector<T> Apply(Vector<T> g, Vector<T> x) => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), g, Vector<T>.Zero);

        public static T Apply(T g, T x) => x > T.Zero ? g : T.Zero;
    }

    private readonly struct SigmoidSlope<T> : IPullbackFormula<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector<T> Apply(Vector<T> g, Vector<T> s) => g * s * (Vector<T>.One - s);

        public static T Apply(T g, T s) => g * s * (T.One - s);
    }

    private readonly struct TanhSlope<T> : IPullbackFormula<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Vector<T> Apply(Vector<T> g, Vector<T> t) => g * (Vector<T>.One - t * t);

        public static T Apply(T g, T t) => g * (T.One - t * t);
    }

    /// <summary>
    /// The formula over every element in one pass, a vector at a time, into a matrix of <paramref name="workspace"/>;
    /// shared with the crew on large matrices.
    /// </summary>
    private static Matrix<T> Elementwise<T, TFormula>(string name, Matrix<T> g, Matrix<T> x, Workspace? workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFormula : IPullbackFormula<T>
    {
        Matrix<T>.RequireSameShape(name, g, x);
        var result = Matrix<T>.Like(g, workspace);
        Kernels.SharedRows.Run(g.Rows, g.Columns, (g, x, result), static (s, first, count) =>
            Elementwise<T, TFormula>(s.g.RowsOf(first, count), s.x.RowsOf(first, count), s.result.RowsOf(first, count)));
        return result;
    }

    /// <summary>
    /// The formula's pass and the result's sum to the shape of <paramref name="like"/>. For a 1×n <paramref name="like"/>,
    /// the column sums of <see cref="ColumnSums{T}"/>, by its blocks and in its order, so the same bits as the pass and the
    /// sum apart; for another shape, the pass and then the sum.
    /// </summary>
    private static Matrix<T> ElementwiseAndSum<T, TFormula>(string name, Matrix<T> g, Matrix<T> x, Matrix<T> like, out Matrix<T> summed, Workspace? workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFormula : IPullbackFormula<T>
    {
        if (!SumsColumnsOf(g, like))
        {
            var pass = Elementwise<T, TFormula>(name, g, x, workspace);
            summed = SumToShapeOfCopy(pass, like, workspace);
            return pass;
        }
        Matrix<T>.RequireSameShape(name, g, x);
        return RowsAndColumnSums(Matrix<T>.Like(g, workspace), (g, x),
            static (s, result, first, count) => Elementwise<T, TFormula>(s.g.RowsOf(first, count), s.x.RowsOf(first, count), result.RowsOf(first, count)), out summed, workspace);
    }

    /// <summary>Whether a sum to the shape of <paramref name="like"/> is <paramref name="m"/>'s column sums, over more than one row: what a pass makes with its rows.</summary>
    private static bool SumsColumnsOf<T>(Matrix<T> m, Matrix<T> like) where T : unmanaged, IFloatingPointIeee754<T> =>
        like.Rows == 1 && like.Columns == m.Columns && m.Rows > 1 && m.Columns > 0;

    /// <summary>Rows first…first+count−1 of a pass, written into <paramref name="result"/>.</summary>
    private delegate void RowMaker<T, TState>(TState state, Matrix<T> result, int first, int count) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// <paramref name="result"/>, its rows made by <paramref name="makeRows"/>, and <paramref name="summed"/>, a new 1×n
    /// matrix of its column sums: by the blocks of <see cref="ColumnSums{T}"/> and in its order (the same bits as the pass
    /// and the sum apart), each block's rows made a few at a time and added while they are in the cache.
    /// </summary>
    private static Matrix<T> RowsAndColumnSums<T, TState>(Matrix<T> result, TState state, RowMaker<T, TState> makeRows, out Matrix<T> summed, Workspace? workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        summed = Workspace.Matrix<T>(1, result.Columns, workspace);
        ColumnSumsInBlocks<T, (TState State, RowMaker<T, TState> MakeRows, Matrix<T> Result)>(result.Rows, result.Columns, (state, makeRows, result),
            static (s, first, count, sums) => RowsAndSums(s.State, s.MakeRows, s.Result, first, count, sums), summed.Span, workspace);
        return result;
    }

    /// <summary>Elements of the rows made in one call before they are added to the sums: 8 KB of doubles, in the first-level cache.</summary>
    private const int SumChunkElements = 1024;

    /// <summary>
    /// Rows first…first+count−1 (at least one) made into <paramref name="result"/>, each added to <paramref name="sums"/> in
    /// order (the first copied), a few rows at a time while they are in the cache: one call per row would cost a tiny
    /// matrix (a batch of 4) more than the pass it saves.
    /// </summary>
    private static void RowsAndSums<T, TState>(TState state, RowMaker<T, TState> makeRows, Matrix<T> result, int first, int count, Span<T> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var chunk = Math.Max(1, SumChunkElements / result.Columns);
        for (var start = first; start < first + count; start += chunk)
        {
            var rows = Math.Min(chunk, first + count - start);
            makeRows(state, result, start, rows);
            for (var r = start; r < start + rows; r++)
            {
                if (r == first) result.Row(r).CopyTo(sums);
                else Kernels.Rows.Add<T>(sums, result.Row(r), sums);
            }
        }
    }

    private static void Elementwise<T, TFormula>(ReadOnlySpan<T> gs, ReadOnlySpan<T> xs, Span<T> rs)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFormula : IPullbackFormula<T>
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= rs.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                TFormula.Apply(new Vector<T>(gs.Slice(i)), new Vector<T>(xs.Slice(i))).CopyTo(rs.Slice(i));
            }
        }
        for (; i < rs.Length; i++) rs[i] = TFormula.Apply(gs[i], xs[i]);
    }
}

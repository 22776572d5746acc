using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace GradGen;

/// <summary>
/// The operations of a forward pass over <see cref="Matrix{T}"/>, named as numpy users expect. Elementwise
/// kernels are System.Numerics.Tensors' <see cref="TensorPrimitives"/>.
/// </summary>
/// <remarks>
/// Every function that returns a matrix takes an optional <see cref="Workspace"/>: with one, the result is a buffer of
/// the workspace (reused by the next step); without, a new matrix. Generated backward code passes its workspace.
/// </remarks>
public static partial class Matrix
{
    /// <summary>The matrix product a·b, or aᵀ·b, a·bᵀ, aᵀ·bᵀ, without materializing a transpose of b.</summary>
    public static Matrix<T> MatMul<T>(Matrix<T> a, Matrix<T> b, bool transposeA = false, bool transposeB = false, Workspace? workspace = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = Workspace.Matrix<T>(transposeA ? a.Columns : a.Rows, transposeB ? b.Rows : b.Columns, workspace);
        // A new matrix is already zero: accumulating into it saves the kernel a pass.
        MatMulInto(c, a, b, transposeA, transposeB, accumulate: workspace is null);
        return c;
    }

    /// <summary>
    /// The matrix product written into <paramref name="result"/> (or added to it, when <paramref name="accumulate"/>),
    /// which must have the product's shape and be neither operand: no allocation.
    /// </summary>
    public static void MatMulInto<T>(Matrix<T> result, Matrix<T> a, Matrix<T> b, bool transposeA = false, bool transposeB = false, bool accumulate = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (m, k) = transposeA ? (a.Columns, a.Rows) : (a.Rows, a.Columns);
        var (kb, n) = transposeB ? (b.Columns, b.Rows) : (b.Rows, b.Columns);
        if (k != kb)
        {
            throw new ArgumentException($"MatMul: {(transposeA ? "aᵀ" : "a")} {Shape(m, k)} and {(transposeB ? "bᵀ" : "b")} {Shape(kb, n)} do not chain ({k} ≠ {kb}).");
        }
        if (result.Rows != m || result.Columns != n)
        {
            throw new ArgumentException($"MatMulInto: the product is {Shape(m, n)} but the result is {result.Shape}.");
        }
        // The kernel writes C while it still reads A and B: a result that is an operand would be read half overwritten.
        if (ReferenceEquals(result.Data, a.Data) || ReferenceEquals(result.Data, b.Data))
        {
            throw new ArgumentException($"MatMulInto: the result {result.Shape} holds the elements of {(ReferenceEquals(result.Data, a.Data) ? "a" : "b")}; a product cannot be written over its own operand (write it into another matrix).");
        }
        Kernels.Gemm<T>.Multiply(a.Data, transposeA, b.Data, transposeB, result.Data, m, n, k, accumulate);
    }

    public static Matrix<T> Transpose<T>(Matrix<T> a, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Workspace.Matrix<T>(a.Columns, a.Rows, workspace);
        for (var r = 0; r < a.Rows; r++)
        {
            for (var c = 0; c < a.Columns; c++) result[c, r] = a[r, c];
        }
        return result;
    }

    public static Matrix<T> Sigmoid<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> => Map(x, Kernels.FloatFunctions.Apply<T, Kernels.Sigmoid>, workspace);

    public static Matrix<T> Tanh<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> => Map(x, Kernels.FloatFunctions.Apply<T, Kernels.Tanh>, workspace);

    public static Matrix<T> Exp<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> => Map(x, TensorPrimitives.Exp, workspace);

    public static Matrix<T> Log<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> => Map(x, TensorPrimitives.Log, workspace);

    public static Matrix<T> Sqrt<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> => Map(x, TensorPrimitives.Sqrt, workspace);

    /// <summary>max(x, 0) elementwise.</summary>
    public static Matrix<T> Relu<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        Map(x, static (values, destination) => TensorPrimitives.Max(values, T.Zero, destination), workspace);

    /// <summary>
    /// Softmax of each row, computed as exp(x − max) / Σ exp(x − max) so that large inputs do not overflow. The
    /// exponentials are one vectorized pass over as many rows as fit in the core's first-level cache together: rows are
    /// often short (one element per class), and a long one is read five times.
    /// </summary>
    public static Matrix<T> Softmax<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Matrix<T>.Like(x, workspace);
        Kernels.SharedRows.Run(x.Rows, x.Columns, (x, result), static (s, first, count) => SoftmaxRows(s.x, s.result, first, count));
        return result;
    }

    /// <summary>The softmax of rows first…first+count−1 of <paramref name="x"/> into the same rows of <paramref name="result"/> (which may be <paramref name="x"/>).</summary>
    private static void SoftmaxRows<T>(Matrix<T> x, Matrix<T> result, int first, int count) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var chunk = Math.Max(1, SoftmaxChunkElements / Math.Max(1, x.Columns));
        for (var start = first; start < first + count; start += chunk)
        {
            var end = Math.Min(first + count, start + chunk);
            for (var r = start; r < end; r++) Kernels.Rows.Subtract<T>(x.Row(r), Kernels.Rows.Max<T>(x.Row(r)), result.Row(r));
            TensorPrimitives.Exp<T>(result.RowsOf(start, end - start), result.RowsOf(start, end - start));
            for (var r = start; r < end; r++)
            {
                var row = result.Row(r);
                Kernels.Rows.Scale(row, T.One / Kernels.Rows.Sum<T>(row));
            }
        }
    }

    /// <summary>Elements a softmax takes through its passes together: 16 KB of floats, 32 KB of doubles.</summary>
    private const int SoftmaxChunkElements = 4096;

    public static T Sum<T>(Matrix<T> x) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sum<T>(x.Span);

    public static T Mean<T>(Matrix<T> x) where T : unmanaged, IFloatingPointIeee754<T> => Sum(x) / T.CreateChecked(RequireNonEmpty("Mean", x).Length);

    /// <summary>Class labels for the rows of <paramref name="m"/>: one per row, each a column of it; an error naming the operation otherwise.</summary>
    private static void RequireLabels<T>(string operation, int[] labels, Matrix<T> m, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Length != m.Rows) throw new ArgumentException($"{operation}: {labels.Length} labels for {m.Shape}{what}.");
        for (var r = 0; r < labels.Length; r++)
        {
            if ((uint)labels[r] >= (uint)m.Columns) throw new ArgumentException($"{operation}: label {labels[r]} of row {r} is not a column of {m.Shape}.");
        }
    }

    /// <summary>An average over no rows is 0/0: an error naming the operation, rather than a NaN loss with a zero gradient.</summary>
    private static Matrix<T> RequireNonEmpty<T>(string operation, Matrix<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        return x.Length > 0 ? x : throw new ArgumentException($"{operation}: the batch is empty {x.Shape}; a mean over no rows is undefined.");
    }

    /// <summary>
    /// Rows a column sum adds one after the other before it adds up their sums (the cores share the blocks): a fixed
    /// number, so that a sum is the same on every number of cores.
    /// </summary>
    private const int ColumnSumBlock = 64;

    /// <summary>
    /// The 1×n row of column sums (numpy's <c>sum(axis=0, keepdims=True)</c>): the gradient of a broadcast bias. Each
    /// block of 64 rows is summed in order, then the blocks' sums in order, whatever the number of cores. The blocks are
    /// shared from 2¹⁵ elements on, like the passes before them: alone, a 256×128 double sum is slower shared (12 µs
    /// against 6), but in a step each core then sums the rows it wrote (the hidden bias's gradient at batch 256: 10 µs
    /// on the caller, 5 shared, and the product after it 3 µs faster).
    /// </summary>
    public static Matrix<T> ColumnSums<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Workspace.Matrix<T>(1, x.Columns, workspace);
        if (x.Columns == 0) return result;
        ColumnSumsInBlocks<T, Matrix<T>>(x.Rows, x.Columns, x, static (x, first, count, sums) => SumRows(x, first, count, sums), result.Span, workspace);
        return result;
    }

    /// <summary>The column sums of rows first…first+count−1 that a block of <see cref="ColumnSumsInBlocks"/> covers, written over <paramref name="sums"/>.</summary>
    private delegate void BlockSums<T, TState>(TState state, int first, int count, Span<T> sums);

    /// <summary>
    /// The column sums of <paramref name="rows"/> rows into <paramref name="sums"/>, <paramref name="sumBlock"/> making
    /// those of each block of 64 (<see cref="ColumnSums"/>, and an activation's backward that makes its rows as it sums
    /// them): each block's in order, then the blocks' in order, shared between the cores from 2¹⁵ elements on. Each
    /// block's sums are added up on the stack and stored once: the rows of partial sums the two cores write may share
    /// a cache line, which adding each row into them in place would send back and forth.
    /// </summary>
    private static void ColumnSumsInBlocks<T, TState>(int rows, int columns, TState state, BlockSums<T, TState> sumBlock, Span<T> sums, Workspace? workspace)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var blocks = (rows + ColumnSumBlock - 1) / ColumnSumBlock;
        if (blocks <= 1)
        {
            sumBlock(state, 0, rows, sums);
            return;
        }
        var partial = Workspace.Matrix<T>(blocks, columns, workspace);
        Kernels.SharedRows.Run(blocks, ColumnSumBlock * columns, (state, sumBlock, partial, rows), static (s, first, count) =>
        {
            Span<T> local = s.partial.Columns <= LocalSums ? stackalloc T[s.partial.Columns] : default;
            for (var b = first; b < first + count; b++)
            {
                var start = b * ColumnSumBlock;
                s.sumBlock(s.state, start, Math.Min(ColumnSumBlock, s.rows - start), local.IsEmpty ? s.partial.Row(b) : local);
                if (!local.IsEmpty) local.CopyTo(s.partial.Row(b));
            }
        });
        SumRows(partial, 0, blocks, sums);
    }

    /// <summary>Columns up to which a block's column sums are added up on the stack: 4 KB of floats, 8 KB of doubles.</summary>
    private const int LocalSums = 1024;

    /// <summary>Rows <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 of <paramref name="x"/> added up in order, into <paramref name="sums"/>.</summary>
    private static void SumRows<T>(Matrix<T> x, int first, int count, Span<T> sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count == 0)
        {
            sums.Clear();
            return;
        }
        x.Row(first).CopyTo(sums);
        for (var r = first + 1; r < first + count; r++) Kernels.Rows.Add<T>(sums, x.Row(r), sums);
    }

    /// <summary>The m×1 column of row sums (numpy's <c>sum(axis=1, keepdims=True)</c>).</summary>
    public static Matrix<T> RowSums<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Workspace.Matrix<T>(x.Rows, 1, workspace);
        for (var r = 0; r < x.Rows; r++) result[r, 0] = TensorPrimitives.Sum<T>(x.Row(r));
        return result;
    }

    /// <summary>Mean squared error over the batch: (1/N) Σᵢ ‖ŷᵢ − yᵢ‖², N the number of rows.</summary>
    public static T Mse<T>(Matrix<T> prediction, Matrix<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>.RequireSameShape("Mse", RequireNonEmpty("Mse", prediction), target);
        // ‖ŷ − y‖ in one pass, without a matrix of differences.
        var distance = TensorPrimitives.Distance<T>(prediction.Span, target.Span);
        return distance * distance / T.CreateChecked(prediction.Rows);
    }

    /// <summary>
    /// Binary cross-entropy (log loss), averaged over all elements. p is clipped to [ε, 1 − ε], ε = 1e-7, so that the
    /// value stays finite; the generated gradient is that of the unclipped loss (evaluated at the clipped p), so a
    /// confidently wrong prediction still learns instead of meeting the flat zero of the clip.
    /// </summary>
    public static T BinaryCrossEntropy<T>(Matrix<T> p, Matrix<T> target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>.RequireSameShape("BinaryCrossEntropy", RequireNonEmpty("BinaryCrossEntropy", p), target);
        var sum = T.Zero;
        for (var i = 0; i < p.Length; i++)
        {
            var q = Clip(p.Span[i]);
            var y = target.Span[i];
            sum -= y * T.Log(q) + (T.One - y) * T.Log(T.One - q);
        }
        return sum / T.CreateChecked(p.Length);
    }

    /// <summary>
    /// Categorical cross-entropy −(1/N) Σᵢ log pᵢ,labelᵢ for class indices. p is clipped to [ε, 1 − ε] as in
    /// <see cref="BinaryCrossEntropy{T}"/>, with the same convention for the gradient.
    /// </summary>
    public static T CategoricalCrossEntropy<T>(Matrix<T> p, int[] labels) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLabels("CategoricalCrossEntropy", labels, RequireNonEmpty("CategoricalCrossEntropy", p), " probabilities");
        // The labels' probabilities gathered a few hundred at a time, their logarithms in one vector call each: 256 rows
        // of doubles in 1.9 µs on AVX2, against 2.4 with a scalar logarithm per row.
        Span<T> chosen = stackalloc T[Math.Min(p.Rows, 256)];
        var sum = T.Zero;
        for (var start = 0; start < p.Rows; start += chosen.Length)
        {
            var part = chosen[..Math.Min(chosen.Length, p.Rows - start)];
            for (var i = 0; i < part.Length; i++) part[i] = Clip(p[start + i, labels[start + i]]);
            TensorPrimitives.Log<T>(part, part);
            sum -= TensorPrimitives.Sum<T>(part);
        }
        return sum / T.CreateChecked(p.Rows);
    }

    /// <summary>Categorical cross-entropy −(1/N) Σᵢ Σⱼ yᵢⱼ log pᵢⱼ for one-hot (or probability) target rows y.</summary>
    public static T CategoricalCrossEntropy<T>(Matrix<T> p, Matrix<T> oneHot) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>.RequireSameShape("CategoricalCrossEntropy", RequireNonEmpty("CategoricalCrossEntropy", p), oneHot);
        var sum = T.Zero;
        for (var i = 0; i < p.Length; i++) sum -= oneHot.Span[i] * T.Log(Clip(p.Span[i]));
        return sum / T.CreateChecked(p.Rows);
    }

    /// <summary>
    /// One-hot rows of the shape of <paramref name="like"/>: row i holds 1 in column <c>labels[i]</c>, 0 elsewhere.
    /// </summary>
    public static Matrix<T> OneHot<T>(int[] labels, Matrix<T> like, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLabels("OneHot", labels, like, "");
        var result = Matrix<T>.Like(like, workspace);
        result.Span.Clear();
        for (var r = 0; r < labels.Length; r++) result[r, labels[r]] = T.One;
        return result;
    }

    /// <summary>p clipped to [ε, 1 − ε], ε = 1e-7: the guard the cross-entropy losses apply before a logarithm.</summary>
    public static Matrix<T> ClipProbability<T>(Matrix<T> p, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var epsilon = T.CreateChecked(1e-7);
        var result = Matrix<T>.Like(p, workspace);
        TensorPrimitives.Clamp(p.Span, epsilon, T.One - epsilon, result.Span);
        return result;
    }

    private static T Clip<T>(T p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var epsilon = T.CreateChecked(1e-7);
        return T.Clamp(p, epsilon, T.One - epsilon);
    }

    private static string Shape(int rows, int columns) => $"({rows}×{columns})";

    /// <summary>The kernel over every element into a matrix of <paramref name="workspace"/>, shared with the crew on large matrices.</summary>
    private static Matrix<T> Map<T>(Matrix<T> x, SpanFunction<T> kernel, Workspace? workspace) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Matrix<T>.Like(x, workspace);
        Kernels.SharedRows.Run(x.Rows, x.Columns, (x, result, kernel), static (s, first, count) => s.kernel(s.x.RowsOf(first, count), s.result.RowsOf(first, count)));
        return result;
    }

    private delegate void SpanFunction<T>(ReadOnlySpan<T> x, Span<T> destination);
}

using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace GradGen;

/// <summary>
/// A layer's bias and its activation in one pass: f(x + b) as f(<c>x + b</c>) computes it, value for value, without the
/// matrix of sums. The generated code calls them where the sum is read by the activation alone (a dense layer's
/// <c>σ(x·W + b)</c>): one pass over the rows instead of two, each group of rows added and activated while it is in the
/// core's cache.
/// </summary>
public static partial class Matrix
{
    /// <summary>σ(<paramref name="x"/> + <paramref name="addend"/>), the sum broadcast as <c>+</c> broadcasts it.</summary>
    public static Matrix<T> SigmoidOfSum<T>(Matrix<T> x, Matrix<T> addend, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        OfSum(x, addend, static (m, first, count) => Kernels.FloatFunctions.Apply<T, Kernels.Sigmoid>(m.RowsOf(first, count), m.RowsOf(first, count)), workspace);

    /// <summary>tanh(<paramref name="x"/> + <paramref name="addend"/>), the sum broadcast as <c>+</c> broadcasts it.</summary>
    public static Matrix<T> TanhOfSum<T>(Matrix<T> x, Matrix<T> addend, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        OfSum(x, addend, static (m, first, count) => Kernels.FloatFunctions.Apply<T, Kernels.Tanh>(m.RowsOf(first, count), m.RowsOf(first, count)), workspace);

    /// <summary>ReLU(<paramref name="x"/> + <paramref name="addend"/>), the sum broadcast as <c>+</c> broadcasts it.</summary>
    public static Matrix<T> ReluOfSum<T>(Matrix<T> x, Matrix<T> addend, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        OfSum(x, addend, static (m, first, count) => TensorPrimitives.Max(m.RowsOf(first, count), T.Zero, m.RowsOf(first, count)), workspace);

    /// <summary>The softmax of each row of <paramref name="x"/> + <paramref name="addend"/>, the sum broadcast as <c>+</c> broadcasts it.</summary>
    public static Matrix<T> SoftmaxOfSum<T>(Matrix<T> x, Matrix<T> addend, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        OfSum(x, addend, static (m, first, count) => SoftmaxRows(m, m, first, count), workspace);

    /// <summary>Rows first…first+count−1 of a matrix, transformed in place.</summary>
    private delegate void InPlaceRows<T>(Matrix<T> m, int first, int count) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// <paramref name="activation"/>(a + b) over groups of rows of at most <see cref="SoftmaxChunkElements"/> elements,
    /// shared with the crew as the activations are. The shapes are those <c>+</c> accepts, and the same error otherwise.
    /// </summary>
    private static Matrix<T> OfSum<T>(Matrix<T> a, Matrix<T> b, InPlaceRows<T> activation, Workspace? workspace) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // Addition commutes exactly: the full operand first.
        if (Matrix<T>.Broadcasts(a, b)) (a, b) = (b, a);
        else if (!(b.Rows == a.Rows && b.Columns == a.Columns || Matrix<T>.Broadcasts(b, a))) throw Matrix<T>.NotBroadcast("+", a, b);
        var result = Matrix<T>.Like(a, workspace);
        Kernels.SharedRows.Run(a.Rows, a.Columns, (a, b, result, activation), static (s, first, count) =>
        {
            var chunk = Math.Max(1, SoftmaxChunkElements / Math.Max(1, s.a.Columns));
            for (var start = first; start < first + count; start += chunk)
            {
                var rows = Math.Min(first + count, start + chunk) - start;
                if (s.b.Rows == s.a.Rows && s.b.Columns == s.a.Columns) TensorPrimitives.Add<T>(s.a.RowsOf(start, rows), s.b.RowsOf(start, rows), s.result.RowsOf(start, rows));
                else if (s.b.Rows == 1) for (var r = start; r < start + rows; r++) Kernels.Rows.Add<T>(s.a.Row(r), s.b.Span, s.result.Row(r));
                else for (var r = start; r < start + rows; r++) TensorPrimitives.Add(s.a.Row(r), s.b[r, 0], s.result.Row(r));
                s.activation(s.result, start, rows);
            }
        });
        return result;
    }
}

using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace GradGen;

/// <summary>
/// The activations PyTorch users expect beyond ReLU, sigmoid and tanh, and the losses on logits (PyTorch's
/// <c>CrossEntropyLoss</c> and <c>BCEWithLogitsLoss</c>, reduction mean), each with its fused backward kernel.
/// </summary>
public static partial class Matrix
{
    /// <summary>The slope of <see cref="LeakyRelu{T}(Matrix{T}, Workspace?)"/> below 0, PyTorch's default.</summary>
    public const double DefaultLeakySlope = 0.01;

    /// <summary>x where x &gt; 0, slope·x elsewhere (slope 0.01, PyTorch's default).</summary>
    public static Matrix<T> LeakyRelu<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        LeakyRelu(x, T.CreateChecked(DefaultLeakySlope), workspace);

    /// <summary>x where x &gt; 0, <paramref name="slope"/>·x elsewhere.</summary>
    public static Matrix<T> LeakyRelu<T>(Matrix<T> x, T slope, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = MapEach(x, static v => v, workspace);
        for (var i = 0; i < result.Length; i++) if (result.Span[i] <= T.Zero) result.Span[i] *= slope;
        return result;
    }

    /// <summary>x where x &gt; 0, α(eˣ − 1) elsewhere (α = 1).</summary>
    public static Matrix<T> Elu<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> => Elu(x, T.One, workspace);

    /// <summary>x where x &gt; 0, <paramref name="alpha"/>(eˣ − 1) elsewhere.</summary>
    public static Matrix<T> Elu<T>(Matrix<T> x, T alpha, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = MapEach(x, static v => v > T.Zero ? v : T.Exp(v) - T.One, workspace);
        for (var i = 0; i < result.Length; i++) if (x.Span[i] <= T.Zero) result.Span[i] *= alpha;
        return result;
    }

    /// <summary>The exact GELU, x·Φ(x) = x/2·(1 + erf(x/√2)): PyTorch's default <c>GELU()</c>.</summary>
    public static Matrix<T> Gelu<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        MapEach(x, static v => T.CreateChecked(GeluOf(double.CreateChecked(v))), workspace);

    /// <summary>
    /// The tanh approximation of GELU, x/2·(1 + tanh(√(2/π)(x + 0.044715x³))): PyTorch's <c>GELU(approximate='tanh')</c>,
    /// faster than <see cref="Gelu{T}"/> and within 1e-3 of it.
    /// </summary>
    public static Matrix<T> GeluTanh<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        MapEach(x, static v => T.CreateChecked(0.5) * v * (T.One + T.Tanh(GeluTanhInner(v))), workspace);

    /// <summary>SiLU (swish), x·σ(x).</summary>
    public static Matrix<T> Silu<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        MapEach(x, static v => v / (T.One + T.Exp(-v)), workspace);

    /// <summary>Softplus, log(1 + eˣ), computed as max(x, 0) + log(1 + e^−|x|) so that it is exact at any magnitude.</summary>
    public static Matrix<T> Softplus<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        MapEach(x, static v => T.Max(v, T.Zero) + T.LogP1(T.Exp(-T.Abs(v))), workspace);

    /// <summary>The log of the softmax of each row, x − max − log Σ exp(x − max): finite at any magnitude.</summary>
    public static Matrix<T> LogSoftmax<T>(Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Matrix<T>.Like(x, workspace);
        for (var r = 0; r < x.Rows; r++) LogSoftmaxRow(x.Row(r), result.Row(r));
        return result;
    }

    /// <summary>
    /// Cross-entropy of logits against class labels, −mean over rows of log softmax(z)[label]: PyTorch's
    /// <c>CrossEntropyLoss</c>. Takes logits (not probabilities) and is exact at any magnitude; prefer it to
    /// <see cref="CategoricalCrossEntropy{T}(Matrix{T}, int[])"/> after a <see cref="Softmax{T}"/>.
    /// </summary>
    public static T CrossEntropy<T>(Matrix<T> logits, int[] labels) where T : unmanaged, IFloatingPointIeee754<T>
    {
        RequireLabels("CrossEntropy", labels, RequireNonEmpty("CrossEntropy", logits), " logits");
        var sum = T.Zero;
        for (var r = 0; r < logits.Rows; r++) sum += LogSumExp(logits.Row(r)) - logits[r, labels[r]];
        return sum / T.CreateChecked(logits.Rows);
    }

    /// <summary>Cross-entropy of logits against target rows (class probabilities), −(1/N) Σ y ⊙ log softmax(z).</summary>
    public static T CrossEntropy<T>(Matrix<T> logits, Matrix<T> targets) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>.RequireSameShape("CrossEntropy", RequireNonEmpty("CrossEntropy", logits), targets);
        var sum = T.Zero;
        for (var r = 0; r < logits.Rows; r++)
        {
            var row = logits.Row(r);
            var y = targets.Row(r);
            sum += LogSumExp(row) * TensorPrimitives.Sum<T>(y) - TensorPrimitives.Dot<T>(y, row);
        }
        return sum / T.CreateChecked(logits.Rows);
    }

    /// <summary>
    /// Binary cross-entropy of logits, mean of max(z, 0) − z·y + log(1 + e^−|z|): PyTorch's <c>BCEWithLogitsLoss</c>,
    /// exact at any magnitude; prefer it to <see cref="BinaryCrossEntropy{T}"/> after a <see cref="Sigmoid{T}"/>.
    /// </summary>
    public static T BinaryCrossEntropyWithLogits<T>(Matrix<T> logits, Matrix<T> targets) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>.RequireSameShape("BinaryCrossEntropyWithLogits", RequireNonEmpty("BinaryCrossEntropyWithLogits", logits), targets);
        var sum = T.Zero;
        for (var i = 0; i < logits.Length; i++)
        {
            var z = logits.Span[i];
            sum += T.Max(z, T.Zero) - z * targets.Span[i] + T.LogP1(T.Exp(-T.Abs(z)));
        }
        return sum / T.CreateChecked(logits.Length);
    }

    // ---- Backward kernels: one pass each --------------------------------------------------------------------

    /// <summary>g where x &gt; 0, slope·g elsewhere: the backward of <see cref="LeakyRelu{T}(Matrix{T}, T, Workspace?)"/>.</summary>
    public static Matrix<T> LeakyReluBackward<T>(Matrix<T> g, Matrix<T> x, T slope, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = ZipEach("LeakyReluBackward", g, x, static (gv, xv) => gv, workspace);
        for (var i = 0; i < result.Length; i++) if (x.Span[i] <= T.Zero) result.Span[i] *= slope;
        return result;
    }

    /// <summary>g where x &gt; 0, g·(y + α) elsewhere, from the forward output y: the backward of <see cref="Elu{T}(Matrix{T}, T, Workspace?)"/>.</summary>
    public static Matrix<T> EluBackward<T>(Matrix<T> g, Matrix<T> x, Matrix<T> y, T alpha, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>.RequireSameShape("EluBackward", x, y);
        var result = ZipEach("EluBackward", g, x, static (gv, xv) => gv, workspace);
        for (var i = 0; i < result.Length; i++) if (x.Span[i] <= T.Zero) result.Span[i] *= y.Span[i] + alpha;
        return result;
    }

    /// <summary>g ⊙ (Φ(x) + x·φ(x)): the backward of the exact <see cref="Gelu{T}"/>.</summary>
    public static Matrix<T> GeluBackward<T>(Matrix<T> g, Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        ZipEach("GeluBackward", g, x, static (gv, xv) =>
        {
            var v = double.CreateChecked(xv);
            return gv * T.CreateChecked(0.5 * (1 + Kernels.Erf.Of(v / Math.Sqrt(2))) + v * Math.Exp(-0.5 * v * v) / Math.Sqrt(2 * Math.PI));
        }, workspace);

    /// <summary>The backward of <see cref="GeluTanh{T}"/>: g ⊙ (½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²)).</summary>
    public static Matrix<T> GeluTanhBackward<T>(Matrix<T> g, Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        ZipEach("GeluTanhBackward", g, x, static (gv, xv) =>
        {
            var half = T.CreateChecked(0.5);
            var t = T.Tanh(GeluTanhInner(xv));
            var inner = T.CreateChecked(GeluTanhScale) * (T.One + T.CreateChecked(3 * GeluTanhCubic) * xv * xv);
            return gv * (half * (T.One + t) + half * xv * (T.One - t * t) * inner);
        }, workspace);

    /// <summary>g ⊙ σ(x)(1 + x(1 − σ(x))): the backward of <see cref="Silu{T}"/>.</summary>
    public static Matrix<T> SiluBackward<T>(Matrix<T> g, Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        ZipEach("SiluBackward", g, x, static (gv, xv) =>
        {
            var s = T.One / (T.One + T.Exp(-xv));
            return gv * s * (T.One + xv * (T.One - s));
        }, workspace);

    /// <summary>g ⊙ σ(x): the backward of <see cref="Softplus{T}"/>.</summary>
    public static Matrix<T> SoftplusBackward<T>(Matrix<T> g, Matrix<T> x, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        ZipEach("SoftplusBackward", g, x, static (gv, xv) => gv / (T.One + T.Exp(-xv)), workspace);

    /// <summary>g − softmax ⊙ Σⱼ gⱼ per row, softmax = exp(log-softmax): the backward of <see cref="LogSoftmax{T}"/>.</summary>
    public static Matrix<T> LogSoftmaxBackward<T>(Matrix<T> g, Matrix<T> logSoftmax, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>.RequireSameShape("LogSoftmaxBackward", g, logSoftmax);
        var result = Matrix<T>.Like(g, workspace);
        TensorPrimitives.Exp<T>(logSoftmax.Span, result.Span);
        for (var r = 0; r < g.Rows; r++)
        {
            var row = result.Row(r);
            TensorPrimitives.Multiply(row, -TensorPrimitives.Sum<T>(g.Row(r)), row);
            TensorPrimitives.Add(row, g.Row(r), row);
        }
        return result;
    }

    /// <summary>scale · (softmax(z) − onehot(labels)), the softmax computed row by row: the backward of <see cref="CrossEntropy{T}(Matrix{T}, int[])"/>.</summary>
    public static Matrix<T> CrossEntropyBackward<T>(T scale, Matrix<T> logits, int[] labels, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        SoftmaxCrossEntropyBackward(scale, Softmax(logits, workspace), labels, workspace);

    /// <summary>scale · (softmax(z) ⊙ Σⱼyⱼ − y): the backward of <see cref="CrossEntropy{T}(Matrix{T}, Matrix{T})"/> with respect to the logits.</summary>
    public static Matrix<T> CrossEntropyBackward<T>(T scale, Matrix<T> logits, Matrix<T> targets, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>.RequireSameShape("CrossEntropyBackward", logits, targets);
        var result = Softmax(logits, workspace);
        for (var r = 0; r < logits.Rows; r++)
        {
            var row = result.Row(r);
            TensorPrimitives.Multiply(row, TensorPrimitives.Sum<T>(targets.Row(r)), row);
            TensorPrimitives.Subtract(row, targets.Row(r), row);
            TensorPrimitives.Multiply(row, scale, row);
        }
        return result;
    }

    /// <summary>Each row's total of the targets, as a column like <paramref name="like"/>'s rows: 1 for class labels (second order of the cross-entropy).</summary>
    public static Matrix<T> TargetRowSums<T>(int[] labels, Matrix<T> like, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = Workspace.Matrix<T>(like.Rows, 1, workspace);
        result.Span.Fill(T.One);
        return result;
    }

    /// <summary>Each row's total of the target rows <paramref name="targets"/>, as a column.</summary>
    public static Matrix<T> TargetRowSums<T>(Matrix<T> targets, Matrix<T> like, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        RowSums(targets, workspace);

    /// <summary>scale · (σ(z) − y): the backward of <see cref="BinaryCrossEntropyWithLogits{T}"/> with respect to the logits.</summary>
    public static Matrix<T> BinaryCrossEntropyWithLogitsBackward<T>(T scale, Matrix<T> logits, Matrix<T> targets, Workspace? workspace = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = ZipEach("BinaryCrossEntropyWithLogitsBackward", logits, targets, static (z, y) => T.One / (T.One + T.Exp(-z)) - y, workspace);
        TensorPrimitives.Multiply(result.Span, scale, result.Span);
        return result;
    }

    private const double GeluTanhScale = 0.7978845608028654;   // √(2/π)
    private const double GeluTanhCubic = 0.044715;

    private static T GeluTanhInner<T>(T v) where T : unmanaged, IFloatingPointIeee754<T> =>
        T.CreateChecked(GeluTanhScale) * (v + T.CreateChecked(GeluTanhCubic) * v * v * v);

    private static double GeluOf(double v) => 0.5 * v * (1 + Kernels.Erf.Of(v / Math.Sqrt(2)));

    private static T LogSumExp<T>(ReadOnlySpan<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = TensorPrimitives.Max<T>(row);
        var sum = T.Zero;
        foreach (var v in row) sum += T.Exp(v - max);
        return max + T.Log(sum);
    }

    private static void LogSoftmaxRow<T>(ReadOnlySpan<T> row, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.Subtract(row, LogSumExp(row), destination);

    /// <summary>A scalar formula applied to every element, into a matrix of <paramref name="workspace"/>.</summary>
    private static Matrix<T> MapEach<T>(Matrix<T> x, Func<T, T> formula, Workspace? workspace) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        var result = Matrix<T>.Like(x, workspace);
        for (var i = 0; i < x.Length; i++) result.Span[i] = formula(x.Span[i]);
        return result;
    }

    /// <summary>A scalar formula of two same-shaped matrices' elements, into a matrix of <paramref name="workspace"/>.</summary>
    private static Matrix<T> ZipEach<T>(string name, Matrix<T> a, Matrix<T> b, Func<T, T, T> formula, Workspace? workspace) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T>.RequireSameShape(name, a, b);
        var result = Matrix<T>.Like(a, workspace);
        for (var i = 0; i < a.Length; i++) result.Span[i] = formula(a.Span[i], b.Span[i]);
        return result;
    }
}

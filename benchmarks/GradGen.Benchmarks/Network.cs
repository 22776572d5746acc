using System;
using System.Linq;
using GradGen;

namespace GradGen.Benchmarks;

/// <summary>The benchmarked network: dense → ReLU → dense → softmax + cross-entropy, generated and written by hand.</summary>
public static partial class Network
{
    [Differentiable]
    public static double Loss(Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, Matrix<double> b2, [NoDerivative] Matrix<double> x, int[] labels)
    {
        var hidden = Matrix.Relu(Matrix.MatMul(x, w1) + b1);
        var p = Matrix.Softmax(Matrix.MatMul(hidden, w2) + b2);
        return Matrix.CategoricalCrossEntropy(p, labels);
    }

    /// <summary>
    /// The textbook backward of <see cref="Loss"/>, over the same kernels and the same workspace: what a careful person
    /// writes by hand.
    /// </summary>
    public static (double Loss, Matrix<double> DW1, Matrix<double> DB1, Matrix<double> DW2, Matrix<double> DB2) HandWritten(
        Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, Matrix<double> b2, Matrix<double> x, int[] labels, Workspace? workspace)
    {
        workspace?.Reset();
        var (z1, hidden, p) = Forward(w1, b1, w2, b2, x, workspace);
        var loss = Matrix.CategoricalCrossEntropy(p, labels);

        var dz2 = Matrix.SoftmaxCrossEntropyBackward(1.0 / p.Rows, p, labels, workspace);
        var dw2 = Matrix.MatMul(hidden, dz2, transposeA: true, workspace: workspace);
        var db2 = Matrix.ColumnSums(dz2, workspace);
        var dz1 = Matrix.MaskWherePositive(Matrix.MatMul(dz2, w2, transposeB: true, workspace: workspace), z1, workspace);
        var dw1 = Matrix.MatMul(x, dz1, transposeA: true, workspace: workspace);
        var db1 = Matrix.ColumnSums(dz1, workspace);
        return (loss, dw1, db1, dw2, db2);
    }

    /// <summary>Null when <see cref="HandWritten"/> equals the generated gradient on a random network, else what differs.</summary>
    public static string? CheckHandWritten()
    {
        var random = new Random(3);
        var (w1, b1, w2, b2, x) = (NetworkSize.Random(random, 5, 7), NetworkSize.Random(random, 1, 7), NetworkSize.Random(random, 7, 3), NetworkSize.Random(random, 1, 3), NetworkSize.Random(random, 11, 5));
        var labels = Enumerable.Range(0, 11).Select(i => i % 3).ToArray();
        var generated = LossWithGradient(w1, b1, w2, b2, x, labels);
        var hand = HandWritten(w1, b1, w2, b2, x, labels, null);
        var pairs = new[] { (generated.dL_dw1, hand.DW1), (generated.dL_db1, hand.DB1), (generated.dL_dw2, hand.DW2), (generated.dL_db2, hand.DB2) };
        var worst = pairs.Max(p => p.Item1.Span.ToArray().Zip(p.Item2.Span.ToArray(), (a, b) => Math.Abs(a - b)).Max());
        return Math.Abs(generated.Value - hand.Loss) > 1e-12 || worst > 1e-12 ? $"loss {generated.Value} vs {hand.Loss}, largest gradient difference {worst}" : null;
    }

    /// <summary>The loss alone over a workspace: the baseline of the cheap-gradient ratio.</summary>
    public static double ForwardOnly(Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, Matrix<double> b2, Matrix<double> x, int[] labels, Workspace? workspace)
    {
        workspace?.Reset();
        return Matrix.CategoricalCrossEntropy(Forward(w1, b1, w2, b2, x, workspace).P, labels);
    }

    /// <summary>The forward as the generated pullback computes it: z1 = x·w1 + b1, p = softmax(relu(z1)·w2 + b2).</summary>
    private static (Matrix<double> Z1, Matrix<double> Hidden, Matrix<double> P) Forward(Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, Matrix<double> b2, Matrix<double> x, Workspace? workspace)
    {
        var z1 = Matrix<double>.Add(Matrix.MatMul(x, w1, workspace: workspace), b1, workspace);
        var hidden = Matrix.Relu(z1, workspace);
        var p = Matrix.Softmax(Matrix<double>.Add(Matrix.MatMul(hidden, w2, workspace: workspace), b2, workspace), workspace);
        return (z1, hidden, p);
    }

    /// <summary>Seed 002's comparison: the loss, then the cross-entropy's pullback and the softmax's (the separate path).</summary>
    public static (double Loss, Matrix<double> DLogits) SeparateSoftmaxCrossEntropy(Matrix<double> logits, int[] labels)
    {
        var p = Matrix.Softmax(logits);
        var loss = Matrix.CategoricalCrossEntropy(p, labels);
        var dp = -1.0 / p.Rows * (Matrix.OneHot(labels, p) / Matrix.ClipProbability(p));
        return (loss, p * (dp - Matrix.RowSums(dp * p)));
    }

    /// <summary>The fused backward GradGen generates for softmax + cross-entropy: (p − onehot)/N.</summary>
    [Differentiable]
    public static double SoftmaxCrossEntropy(Matrix<double> logits, int[] labels) => Matrix.CategoricalCrossEntropy(Matrix.Softmax(logits), labels);
}

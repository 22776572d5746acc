using System;
using System.Linq;
using GradGen;

namespace Spiral;

/// <summary>dense(2 → hidden) → ReLU → dense(hidden → classes) → softmax + categorical cross-entropy, in float.</summary>
public static partial class SpiralNetwork
{
    /// <summary>The training loss. GradGen differentiates softmax + cross-entropy as the fused (p − onehot)/N.</summary>
    [Differentiable]
    public static float Loss(Matrix<float> w1, Matrix<float> b1, Matrix<float> w2, Matrix<float> b2, [NoDerivative] Matrix<float> x, int[] labels)
    {
        var hidden = Matrix.Relu(Matrix.MatMul(x, w1) + b1);
        var logits = Matrix.MatMul(hidden, w2) + b2;
        var p = Matrix.Softmax(logits);
        return Matrix.CategoricalCrossEntropy(p, labels);
    }

    public sealed record Parameters(Matrix<float> W1, Matrix<float> B1, Matrix<float> W2, Matrix<float> B2);

    public static Matrix<float> Logits(Parameters n, Matrix<float> x) => Matrix.MatMul(Matrix.Relu(Matrix.MatMul(x, n.W1) + n.B1), n.W2) + n.B2;

    /// <summary>The fraction of rows whose largest logit is at the label's column.</summary>
    public static double Accuracy(Parameters n, Matrix<float> x, int[] labels)
    {
        var logits = Logits(n, x);
        return Enumerable.Range(0, labels.Length).Count(r => ArgMax(logits.Row(r)) == labels[r]) / (double)labels.Length;
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var i = 1; i < row.Length; i++) if (row[i] > row[best]) best = i;
        return best;
    }
}

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

    /// <summary>The textbook backward of <see cref="Loss"/>, over the same kernels: what a careful person writes by hand.</summary>
    public static (double Loss, Matrix<double> DW1, Matrix<double> DB1, Matrix<double> DW2, Matrix<double> DB2) HandWritten(
        Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, Matrix<double> b2, Matrix<double> x, int[] labels)
    {
        var z1 = Matrix.MatMul(x, w1) + b1;
        var hidden = Matrix.Relu(z1);
        var p = Matrix.Softmax(Matrix.MatMul(hidden, w2) + b2);
        var loss = Matrix.CategoricalCrossEntropy(p, labels);

        var dz2 = (p - Matrix.OneHot(labels, p)) / p.Rows;
        var dw2 = Matrix.MatMul(hidden, dz2, transposeA: true);
        var db2 = Matrix.ColumnSums(dz2);
        var dz1 = Matrix.MaskWherePositive(Matrix.MatMul(dz2, w2, transposeB: true), z1);
        var dw1 = Matrix.MatMul(x, dz1, transposeA: true);
        var db1 = Matrix.ColumnSums(dz1);
        return (loss, dw1, db1, dw2, db2);
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

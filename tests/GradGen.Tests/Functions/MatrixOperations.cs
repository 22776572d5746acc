using System;
using GradGen;

namespace GradGen.Tests.Functions;

/// <summary>
/// One method per matrix rule, each weighted by a random w so that the upstream adjoint is not uniform. The float
/// test compiles this very file with 'double' replaced by 'float'; so it uses integer literals only.
/// Matrices are 3×4 unless <see cref="MatrixRuleTests"/> gives another shape.
/// </summary>
public static partial class MatrixOperations
{
    [Differentiable] public static double Add(Matrix<double> a, Matrix<double> b, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a + b));
    [Differentiable] public static double AddRow(Matrix<double> a, Matrix<double> row, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a + row));
    [Differentiable] public static double AddColumn(Matrix<double> a, Matrix<double> column, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a + column));
    [Differentiable] public static double Subtract(Matrix<double> a, Matrix<double> b, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a - b));
    [Differentiable] public static double SubtractRow(Matrix<double> a, Matrix<double> row, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a - row));
    [Differentiable] public static double SubtractColumn(Matrix<double> a, Matrix<double> column, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a - column));
    [Differentiable] public static double Multiply(Matrix<double> a, Matrix<double> b, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * a * b);
    [Differentiable] public static double MultiplyRow(Matrix<double> a, Matrix<double> row, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a * row));
    [Differentiable] public static double MultiplyColumn(Matrix<double> a, Matrix<double> column, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a * column));
    [Differentiable] public static double Divide(Matrix<double> a, Matrix<double> b, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a / (b * b + 1)));
    [Differentiable] public static double DivideRow(Matrix<double> a, Matrix<double> row, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a / (row * row + 1)));
    // Broadcasting on the left (numpy's gamma * x, RowSums(a) * a): the left operand's adjoint is reduced to its shape.
    [Differentiable] public static double RowPlus(Matrix<double> row, Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (row + a));
    [Differentiable] public static double RowMinus(Matrix<double> row, Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (row - a));
    [Differentiable] public static double RowTimes(Matrix<double> row, Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (row * a));
    [Differentiable] public static double RowOver(Matrix<double> row, Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (row / (a * a + 1)));
    [Differentiable] public static double ColumnTimes(Matrix<double> column, Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (column * a));
    [Differentiable] public static double RowSumsTimes(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (Matrix.RowSums(a) * a));
    [Differentiable] public static double DivideColumn(Matrix<double> a, Matrix<double> column, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a / (column * column + 1)));
    [Differentiable] public static double Negate(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * -a);

    [Differentiable] public static double ScalarTimesMatrix(double s, Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (s * a));
    [Differentiable] public static double MatrixTimesScalar(Matrix<double> a, double s, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a * s));
    [Differentiable] public static double MatrixOverScalar(Matrix<double> a, double s, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a / s));
    [Differentiable] public static double ScalarOverMatrix(double s, Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (s / (a * a + 1)));
    [Differentiable] public static double MatrixPlusScalar(Matrix<double> a, double s, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a + s));
    [Differentiable] public static double ScalarPlusMatrix(double s, Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (s + a));
    [Differentiable] public static double MatrixMinusScalar(Matrix<double> a, double s, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (a - s));
    [Differentiable] public static double ScalarMinusMatrix(double s, Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * (s - a));

    [Differentiable] public static double MatMul(Matrix<double> a, Matrix<double> b, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.MatMul(a, b));
    [Differentiable] public static double Transpose(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.Transpose(a));
    [Differentiable] public static double Sigmoid(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.Sigmoid(a));
    [Differentiable] public static double Tanh(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.Tanh(a));
    [Differentiable] public static double Relu(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.Relu(a));
    [Differentiable] public static double Exp(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.Exp(a));
    [Differentiable] public static double Log(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.Log(a * a + 1));
    [Differentiable] public static double Sqrt(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.Sqrt(a * a + 1));
    [Differentiable] public static double Softmax(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.Softmax(a));

    [Differentiable] public static double Sum(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(a) * Matrix.Sum(w * a);
    [Differentiable] public static double Mean(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Mean(w * a * a);
    [Differentiable] public static double ColumnSums(Matrix<double> a, [NoDerivative] Matrix<double> row) => Matrix.Sum(row * Matrix.ColumnSums(a));
    [Differentiable] public static double RowSums(Matrix<double> a, [NoDerivative] Matrix<double> column) => Matrix.Sum(column * Matrix.RowSums(a));
    [Differentiable] public static double Shapes(Matrix<double> a) => Matrix.Sum(a) / a.Rows + a.Columns * Matrix.Mean(a * a) / a.Length;

    [Differentiable] public static double Mse(Matrix<double> a, Matrix<double> b) => Matrix.Mse(a, b);
    [Differentiable] public static double CrossEntropyOfLabels(Matrix<double> a, int[] labels) => Matrix.CategoricalCrossEntropy(Matrix.Sigmoid(a), labels);
    [Differentiable] public static double CrossEntropyOfTargets(Matrix<double> a, Matrix<double> t) => Matrix.CategoricalCrossEntropy(Matrix.Sigmoid(a), Matrix.Sigmoid(t));
    [Differentiable] public static double BinaryCrossEntropy(Matrix<double> a, Matrix<double> t) => Matrix.BinaryCrossEntropy((Matrix.Sigmoid(a) + 1) / 4, Matrix.Sigmoid(t));
    [Differentiable] public static double SoftmaxCrossEntropyOfLabels(Matrix<double> a, int[] labels) => Matrix.CategoricalCrossEntropy(Matrix.Softmax(a), labels);
    [Differentiable] public static double SoftmaxCrossEntropyOfTargets(Matrix<double> a, Matrix<double> t) => Matrix.CategoricalCrossEntropy(Matrix.Softmax(a), Matrix.Sigmoid(t));
    [Differentiable] public static double SigmoidBinaryCrossEntropy(Matrix<double> a, Matrix<double> t) => Matrix.BinaryCrossEntropy(Matrix.Sigmoid(a), Matrix.Sigmoid(t));

    // Activations and losses on logits (PyTorch's names and semantics).
    [Differentiable] public static double LeakyRelu(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.LeakyRelu(a));
    [Differentiable] public static double LeakyReluSlope(Matrix<double> a, double slope, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.LeakyRelu(a, slope));
    [Differentiable] public static double Elu(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.Elu(a));
    [Differentiable] public static double EluAlpha(Matrix<double> a, double alpha, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.Elu(a, alpha));
    [Differentiable] public static double Gelu(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.Gelu(a));
    [Differentiable] public static double GeluTanh(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.GeluTanh(a));
    [Differentiable] public static double Silu(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.Silu(a));
    [Differentiable] public static double Softplus(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.Softplus(a));
    [Differentiable] public static double LogSoftmax(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Sum(w * Matrix.LogSoftmax(a));
    [Differentiable] public static double CrossEntropyLabels(Matrix<double> logits, int[] labels) => Matrix.CrossEntropy(logits, labels);
    [Differentiable] public static double CrossEntropyTargets(Matrix<double> logits, Matrix<double> targets) => Matrix.CrossEntropy(logits, targets);
    [Differentiable] public static double BinaryCrossEntropyWithLogits(Matrix<double> logits, Matrix<double> targets) => Matrix.BinaryCrossEntropyWithLogits(logits, targets);
}

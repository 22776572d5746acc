using System;
using GradGen;

namespace Xor;

/// <summary>Seed 000's network: ŷ = σ(X·W1)·W2, trained on XOR with L = 1/(2N)·Σ‖ŷ − y‖².</summary>
public static partial class XorNetwork
{
    public static readonly Matrix<double> Inputs = Matrix<double>.FromRows([0, 0], [0, 1], [1, 0], [1, 1]);
    public static readonly Matrix<double> Targets = Matrix<double>.FromRows([0], [1], [1], [0]);

    [Differentiable]
    public static double Loss(Matrix<double> w1, Matrix<double> w2, [NoDerivative] Matrix<double> x, [NoDerivative] Matrix<double> y)
    {
        var h = Matrix.MatMul(x, w1);
        var a = Matrix.Sigmoid(h);
        var yhat = Matrix.MatMul(a, w2);
        return 0.5 * Matrix.Mse(yhat, y);
    }

    public static Matrix<double> Predict(Matrix<double> w1, Matrix<double> w2, Matrix<double> x) => Matrix.MatMul(Matrix.Sigmoid(Matrix.MatMul(x, w1)), w2);

    /// <summary>Full-batch gradient descent from random weights; reports the loss every <paramref name="reportEvery"/> epochs.</summary>
    public static (Matrix<double> W1, Matrix<double> W2) Train(int epochs, double learningRate, int seed, Action<int, double>? report = null, int reportEvery = 1000)
    {
        var random = new Random(seed);
        var w1 = Gaussian(random, 2, 3);
        var w2 = Gaussian(random, 3, 1);
        // The workspace keeps every matrix of a step for the next one: after the first epoch, an epoch allocates nothing.
        var workspace = new Workspace();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var (loss, dw1, dw2) = LossWithGradient(w1, w2, Inputs, Targets, workspace);
            if (epoch % reportEvery == 0) report?.Invoke(epoch, loss);
            w1.AddScaled(-learningRate, dw1);
            w2.AddScaled(-learningRate, dw2);
        }
        return (w1, w2);
    }

    private static Matrix<double> Gaussian(Random random, int rows, int columns)
    {
        var m = new Matrix<double>(rows, columns);
        for (var i = 0; i < m.Length; i++)
        {
            m.Span[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        }
        return m;
    }
}

using System;
using System.Linq;
using GradGen;

namespace DeepRegression;

/// <summary>Full-batch Adam with the gradient GradGen generated for <see cref="DeepNetwork.Loss"/>.</summary>
public static class Training
{
    /// <summary>The curve to learn, y = sin(3x) on [−1, 1], at <paramref name="points"/> evenly spaced x.</summary>
    public static (Matrix<float> X, Matrix<float> Y) Data(int points)
    {
        var (x, y) = (new Matrix<float>(points, 1), new Matrix<float>(points, 1));
        for (var i = 0; i < points; i++)
        {
            x.Span[i] = -1 + 2f * i / (points - 1);
            y.Span[i] = MathF.Sin(3 * x.Span[i]);
        }
        return (x, y);
    }

    /// <summary>Layer sizes such as [1, 32, 32, 32, 1]; He-style initialization, zero biases.</summary>
    public static (Matrix<float>[] Weights, Matrix<float>[] Biases) Initialize(int[] sizes, int seed)
    {
        var random = new Random(seed);
        var weights = new Matrix<float>[sizes.Length - 1];
        var biases = new Matrix<float>[sizes.Length - 1];
        for (var l = 0; l < weights.Length; l++)
        {
            weights[l] = new Matrix<float>(sizes[l], sizes[l + 1]);
            for (var i = 0; i < weights[l].Length; i++) weights[l].Span[i] = (float)(Gaussian(random) * Math.Sqrt(2.0 / sizes[l]));
            biases[l] = new Matrix<float>(1, sizes[l + 1]);
        }
        return (weights, biases);
    }

    public static float Train(Matrix<float>[] weights, Matrix<float>[] biases, Matrix<float> x, Matrix<float> y, int epochs, float rate,
        Action<int, float>? report = null, int reportEvery = 500)
    {
        var adamW = weights.Select(w => new Adam<float>(w)).ToArray();
        var adamB = biases.Select(b => new Adam<float>(b)).ToArray();
        var loss = 0f;
        // The generated backward takes its matrices from the workspace; the swish's own forward (user code) still allocates.
        var workspace = new Workspace();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            (loss, var dweights, var dbiases) = DeepNetwork.LossWithGradient(weights, biases, x, y, workspace);
            if (epoch % reportEvery == 0) report?.Invoke(epoch, loss);
            for (var l = 0; l < weights.Length; l++)
            {
                adamW[l].Update(weights[l], dweights[l], rate);
                adamB[l].Update(biases[l], dbiases[l], rate);
            }
        }
        return loss;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

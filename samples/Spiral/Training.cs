using System;
using GradGen;

namespace Spiral;

/// <summary>Training the spiral network with the gradient GradGen generated for <see cref="SpiralNetwork.Loss"/>.</summary>
public static class Training
{
    /// <summary>Full-batch Adam (the nnfs book's best optimizer for this data: learning rate 0.05, decay 5e-7).</summary>
    public static SpiralNetwork.Parameters Train(Matrix<float> x, int[] labels, int classes, int hidden, int epochs, int seed,
        Action<int, float, double>? report = null, int reportEvery = 1000)
    {
        var random = new Random(seed);
        var n = new SpiralNetwork.Parameters(Gaussian(random, x.Columns, hidden), new Matrix<float>(1, hidden), Gaussian(random, hidden, classes), new Matrix<float>(1, classes));
        var optimizers = new[] { new Adam<float>(n.W1), new Adam<float>(n.B1), new Adam<float>(n.W2), new Adam<float>(n.B2) };
        // The workspace keeps every matrix of a step for the next one: after the first epoch, an epoch allocates nothing.
        var workspace = new Workspace();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var (loss, dw1, db1, dw2, db2) = SpiralNetwork.LossWithGradient(n.W1, n.B1, n.W2, n.B2, x, labels, workspace);
            if (epoch % reportEvery == 0) report?.Invoke(epoch, loss, SpiralNetwork.Accuracy(n, x, labels));

            var rate = 0.05f / (1 + 5e-7f * epoch);
            optimizers[0].Update(n.W1, dw1, rate);
            optimizers[1].Update(n.B1, db1, rate);
            optimizers[2].Update(n.W2, dw2, rate);
            optimizers[3].Update(n.B2, db2, rate);
        }
        return n;
    }

    /// <summary>0.01 · N(0, 1) weights, as the nnfs book initializes them.</summary>
    private static Matrix<float> Gaussian(Random random, int rows, int columns)
    {
        var m = new Matrix<float>(rows, columns);
        for (var i = 0; i < m.Length; i++) m.Span[i] = 0.01f * (float)SpiralData.Gaussian(random);
        return m;
    }
}

using System;
using GradGen;

namespace Xor;

/// <summary>Seed 000's network as a model: ŷ = σ(X·W1)·W2, trained on XOR with L = 1/(2N)·Σ‖ŷ − y‖².</summary>
public sealed partial class XorModel
{
    public static readonly Matrix<double> Inputs = Matrix<double>.FromRows([0, 0], [0, 1], [1, 0], [1, 1]);
    public static readonly Matrix<double> Targets = Matrix<double>.FromRows([0], [1], [1], [0]);

    public Matrix<double> W1 { get; }
    public Matrix<double> W2 { get; }

    public XorModel(Matrix<double> w1, Matrix<double> w2) => (W1, W2) = (w1, w2);

    /// <summary>Standard normal weights, 2 → 3 → 1.</summary>
    public XorModel(Random random) : this(Initializers.Normal<double>(2, 3, 1, random), Initializers.Normal<double>(3, 1, 1, random))
    {
    }

    [Differentiable]
    public Matrix<double> Predict([NoDerivative] Matrix<double> x) => Matrix.MatMul(Matrix.Sigmoid(Matrix.MatMul(x, W1)), W2);

    [Differentiable]
    public double Loss([NoDerivative] Matrix<double> x, [NoDerivative] Matrix<double> y) => 0.5 * Matrix.Mse(Predict(x), y);

    /// <summary>Full-batch gradient descent (the seed's: θ ← θ − η·∇L); reports the loss every <paramref name="reportEvery"/> epochs.</summary>
    public static XorModel Train(int epochs, double learningRate, int seed, Action<int, double>? report = null, int reportEvery = 1000)
    {
        var model = new XorModel(new Random(seed));
        var optimizer = new Sgd<double>(learningRate);
        // The workspace keeps every matrix of a step for the next one: after the first epoch, an epoch allocates nothing.
        var workspace = new Workspace();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var (loss, gradient) = model.LossWithGradient(Inputs, Targets, workspace);
            if (epoch % reportEvery == 0) report?.Invoke(epoch, loss);
            optimizer.Step(model, gradient);
        }
        return model;
    }
}

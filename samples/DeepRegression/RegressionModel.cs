using System;
using GradGen;

namespace DeepRegression;

/// <summary>A dense layer: x·W + b, with swish (hidden layers) or without (the output layer).</summary>
public sealed partial class Layer(Matrix<float> weight, Matrix<float> bias)
{
    public Matrix<float> Weight { get; } = weight;
    public Matrix<float> Bias { get; } = bias;

    /// <summary>A hidden layer: swish(x·W + b).</summary>
    [Differentiable]
    public Matrix<float> Hidden(Matrix<float> x) => Activations.Swish(Linear(x));

    /// <summary>The output layer: x·W + b.</summary>
    [Differentiable]
    public Matrix<float> Linear(Matrix<float> x) => Matrix.MatMul(x, Weight) + Bias;
}

/// <summary>
/// A regression network of any depth as a model whose parameters are an array of layer objects: hidden layers
/// h ← swish(h·Wₗ + bₗ), a linear output layer, mean squared error. The forward loops over the layers; GradGen
/// generates the backward loop over them in reverse, each layer's pullback adding to its part of the gradient
/// (<c>gradient.Layers[l].Weight</c>).
/// </summary>
public sealed partial class RegressionModel
{
    public Layer[] Layers { get; }

    /// <summary>Layer sizes such as [1, 32, 32, 32, 1]; He-normal weights, zero biases.</summary>
    public RegressionModel(int[] sizes, int seed)
    {
        var random = new Random(seed);
        Layers = new Layer[sizes.Length - 1];
        for (var l = 0; l < Layers.Length; l++) Layers[l] = new Layer(Initializers.HeNormal<float>(sizes[l], sizes[l + 1], random), new Matrix<float>(1, sizes[l + 1]));
    }

    [Differentiable]
    public Matrix<float> Predict([NoDerivative] Matrix<float> x)
    {
        var h = x;
        var last = Layers.Length - 1;
        for (var l = 0; l < last; l++) h = Layers[l].Hidden(h);
        return Layers[last].Linear(h);
    }

    [Differentiable]
    public float Loss([NoDerivative] Matrix<float> x, [NoDerivative] Matrix<float> y) => Matrix.Mse(Predict(x), y);
}

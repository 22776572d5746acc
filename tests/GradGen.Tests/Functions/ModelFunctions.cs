using System;

namespace GradGen.Tests.Functions;

/// <summary>A dense layer: x·W + b. Its Forward is a model's method returning a matrix: it has a pullback, no gradient of its own.</summary>
public sealed partial class DenseLayer
{
    public Matrix<double> Weight;
    public Matrix<double> Bias;

    public DenseLayer(Matrix<double> weight, Matrix<double> bias) => (Weight, Bias) = (weight, bias);

    [Differentiable]
    public Matrix<double> Forward(Matrix<double> x) => Matrix.MatMul(x, Weight) + Bias;
}

/// <summary>Two layers and a scalar temperature; the forward written once (Logits) and the loss over it.</summary>
public sealed partial class TwoLayerModel
{
    public DenseLayer Hidden { get; }
    public DenseLayer Output { get; }
    public double Temperature;

    /// <summary>Configuration: not a parameter.</summary>
    [NoDerivative] public int Classes;

    public TwoLayerModel(DenseLayer hidden, DenseLayer output, double temperature) => (Hidden, Output, Temperature, Classes) = (hidden, output, temperature, output.Bias.Columns);

    [Differentiable]
    public Matrix<double> Logits([NoDerivative] Matrix<double> x) => Output.Forward(Matrix.Tanh(Hidden.Forward(x))) * Temperature;

    [Differentiable]
    public double Loss([NoDerivative] Matrix<double> x, int[] labels) => Matrix.CategoricalCrossEntropy(Matrix.Softmax(Logits(x)), labels);
}

/// <summary>An array of layers applied in a loop, the same layer used twice, and a member read directly.</summary>
public sealed partial class DeepModel
{
    public DenseLayer[] Layers = [];
    public DenseLayer Shared = null!;
    public Matrix<double> Scale = null!;

    [Differentiable]
    public double Loss([NoDerivative] Matrix<double> x, [NoDerivative] Matrix<double> y)
    {
        var h = Shared.Forward(x);
        for (var i = 0; i < Layers.Length; i++) h = Matrix.Tanh(Layers[i].Forward(h));
        h = Shared.Forward(Matrix.MatMul(h, Shared.Weight)) * Scale;
        var error = h - y;
        return 0.5 * Matrix.Sum(error * error) / x.Rows;
    }
}

/// <summary>A struct model in float, with an array of matrices and a [NoDerivative] matrix read as data.</summary>
public partial struct StructModel
{
    public Matrix<float>[] Weights;
    [NoDerivative] public Matrix<float> Mask;

    [Differentiable]
    public float Energy([NoDerivative] Matrix<float> x)
    {
        var h = x;
        for (var l = 0; l < Weights.Length; l++) h = Matrix.Sigmoid(Matrix.MatMul(h, Weights[l])) * Mask;
        return Matrix.Sum(h);
    }
}

/// <summary>A record model with number parameters (a class: numbers are fields an optimizer writes).</summary>
public sealed partial record ScalarModel
{
    public double A;
    public double B;
    public double[] C = [];

    [Differentiable]
    public double Value(double x) => A * Math.Exp(B * x) + C[0] * x * x + C[1];
}

/// <summary>Static methods taking models: their gradient with respect to a model is that model's Gradient.</summary>
public static partial class ModelLosses
{
    /// <summary>A model's loss (a call of its method) plus an L2 penalty on one layer's weights (members read through the parameter).</summary>
    [Differentiable]
    public static double Regularized(TwoLayerModel model, [NoDerivative] Matrix<double> x, int[] labels, double lambda) =>
        model.Loss(x, labels) + lambda * Matrix.Sum(model.Hidden.Weight * model.Hidden.Weight);

    /// <summary>Two models at once: the squared distance between their outputs.</summary>
    [Differentiable]
    public static double Disagreement(TwoLayerModel first, TwoLayerModel second, [NoDerivative] Matrix<double> x)
    {
        var difference = first.Logits(x) - second.Logits(x);
        return Matrix.Sum(difference * difference);
    }
}

using System;
using GradGen;

namespace GradGen.Tests.Functions;

/// <summary>Seed 002's layers and losses, written as the seed writes them in numpy.</summary>
public static partial class LayerFunctions
{
    /// <summary>A dense layer, inputs·weights + biases. Matrix-valued, so it gets a pullback taking the layer's dvalues.</summary>
    [Differentiable]
    public static Matrix<double> Dense(Matrix<double> inputs, Matrix<double> weights, Matrix<double> biases) =>
        Matrix.MatMul(inputs, weights) + biases;

    [Differentiable]
    public static Matrix<double> Relu(Matrix<double> z) => Matrix.Relu(z);

    [Differentiable]
    public static Matrix<double> Softmax(Matrix<double> logits) => Matrix.Softmax(logits);

    /// <summary>The seed's "minimizing ReLU's output": ½ Σ relu(X·W + b)², so the ReLU output's adjoint is the output itself.</summary>
    [Differentiable]
    public static double ReluOutputSquared(Matrix<double> weights, Matrix<double> biases, [NoDerivative] Matrix<double> inputs)
    {
        var output = Matrix.Relu(Matrix.MatMul(inputs, weights) + biases);
        return 0.5 * Matrix.Sum(output * output);
    }

    /// <summary>Categorical cross-entropy of probabilities (the separate path's loss).</summary>
    [Differentiable]
    public static double CrossEntropy(Matrix<double> probabilities, int[] labels) => Matrix.CategoricalCrossEntropy(probabilities, labels);

    /// <summary>Softmax followed by categorical cross-entropy: differentiated as the fused (p − onehot)/N.</summary>
    [Differentiable]
    public static double SoftmaxCrossEntropy(Matrix<double> logits, int[] labels)
    {
        var p = Matrix.Softmax(logits);
        return Matrix.CategoricalCrossEntropy(p, labels);
    }

    /// <summary>The same with one-hot targets.</summary>
    [Differentiable]
    public static double SoftmaxCrossEntropyOneHot(Matrix<double> logits, [NoDerivative] Matrix<double> targets) =>
        Matrix.CategoricalCrossEntropy(Matrix.Softmax(logits), targets);

    /// <summary>Sigmoid followed by binary cross-entropy: differentiated as the fused (σ(z) − y)/count.</summary>
    [Differentiable]
    public static double SigmoidBinaryCrossEntropy(Matrix<double> z, [NoDerivative] Matrix<double> y) =>
        Matrix.BinaryCrossEntropy(Matrix.Sigmoid(z), y);

    /// <summary>The softmax output is also used elsewhere, so the loss is not fused: the separate rules apply.</summary>
    [Differentiable]
    public static double SoftmaxUsedTwice(Matrix<double> logits, int[] labels)
    {
        var p = Matrix.Softmax(logits);
        return Matrix.CategoricalCrossEntropy(p, labels) + 0.1 * Matrix.Sum(p * p);
    }
}

using System;
using GradGen;

namespace Spiral;

/// <summary>A dense layer, x·W + b: W is inputs × outputs (the shape x·W multiplies by), b one row added to every row.</summary>
public sealed partial class Dense(Matrix<float> weight, Matrix<float> bias)
{
    public Matrix<float> Weight { get; } = weight;
    public Matrix<float> Bias { get; } = bias;

    [Differentiable]
    public Matrix<float> Forward(Matrix<float> x) => Matrix.MatMul(x, Weight) + Bias;
}

/// <summary>
/// The nnfs book's spiral classifier as a model: dense(2 → hidden) → ReLU → dense(hidden → classes), trained by
/// softmax + categorical cross-entropy, in float. Its parameters are its layers'; GradGen generates its gradient type
/// (<see cref="SpiralModel.Gradient"/>: Hidden.Weight, Hidden.Bias, Output.Weight, Output.Bias) and the backward.
/// </summary>
public sealed partial class SpiralModel
{
    public Dense Hidden { get; }
    public Dense Output { get; }

    /// <summary>0.01 · N(0, 1) weights and zero biases, as the nnfs book initializes them.</summary>
    public SpiralModel(int inputs, int hidden, int classes, Random random)
    {
        Hidden = new Dense(Initializers.Normal<float>(inputs, hidden, 0.01, random), new Matrix<float>(1, hidden));
        Output = new Dense(Initializers.Normal<float>(hidden, classes, 0.01, random), new Matrix<float>(1, classes));
    }

    /// <summary>The forward, written once: the loss differentiates through it, prediction uses it as it is.</summary>
    [Differentiable]
    public Matrix<float> Logits([NoDerivative] Matrix<float> x) => Output.Forward(Matrix.Relu(Hidden.Forward(x)));

    /// <summary>The training loss. GradGen differentiates softmax + cross-entropy as the fused (p − onehot)/N.</summary>
    [Differentiable]
    public float Loss([NoDerivative] Matrix<float> x, int[] labels) => Matrix.CategoricalCrossEntropy(Matrix.Softmax(Logits(x)), labels);

    /// <summary>The fraction of rows whose largest logit is at the label's column.</summary>
    public double Accuracy(Matrix<float> x, int[] labels)
    {
        var logits = Logits(x);
        var right = 0;
        for (var r = 0; r < labels.Length; r++) right += System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(logits.Row(r)) == labels[r] ? 1 : 0;
        return right / (double)labels.Length;
    }
}

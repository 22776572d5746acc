using System;
using GradGen;

namespace Digits;

/// <summary>A dense layer, x·W + b.</summary>
public sealed partial class Dense(Matrix<float> weight, Matrix<float> bias)
{
    public Matrix<float> Weight { get; } = weight;
    public Matrix<float> Bias { get; } = bias;

    [Differentiable]
    public Matrix<float> Forward(Matrix<float> x) => Matrix.MatMul(x, Weight) + Bias;
}

/// <summary>A 64 → hidden (ReLU) → 10 classifier of 8×8 digits; its logits go to PyTorch-style cross-entropy.</summary>
public sealed partial class DigitsModel
{
    public Dense Hidden { get; }
    public Dense Output { get; }

    /// <summary>He-normal weights (for the ReLU layer), zero biases.</summary>
    public DigitsModel(int hidden, Random random)
    {
        Hidden = new Dense(Initializers.HeNormal<float>(DigitsData.Pixels, hidden, random), new Matrix<float>(1, hidden));
        Output = new Dense(Initializers.HeNormal<float>(hidden, DigitsData.Classes, random), new Matrix<float>(1, DigitsData.Classes));
    }

    [Differentiable]
    public Matrix<float> Logits([NoDerivative] Matrix<float> x) => Output.Forward(Matrix.Relu(Hidden.Forward(x)));

    [Differentiable]
    public float Loss([NoDerivative] Matrix<float> x, int[] labels) => Matrix.CrossEntropy(Logits(x), labels);

    /// <summary>The predicted digit of each row: the largest logit.</summary>
    public int[] Predict(Matrix<float> x)
    {
        var logits = Logits(x);
        var predictions = new int[x.Rows];
        for (var r = 0; r < x.Rows; r++) predictions[r] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(logits.Row(r));
        return predictions;
    }

    public double Accuracy(Matrix<float> x, int[] labels)
    {
        var predictions = Predict(x);
        var right = 0;
        for (var i = 0; i < labels.Length; i++) right += predictions[i] == labels[i] ? 1 : 0;
        return right / (double)labels.Length;
    }
}

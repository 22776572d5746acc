using GradGen;

namespace GradGen.Benchmarks.Peers;

// The networks of the peer comparison, as a GradGen user writes them: models with generated gradients. A model type is not
// generic, so the double and float layers are two classes.

/// <summary>A dense layer in double: x·W + b.</summary>
public sealed partial class DenseDouble(Matrix<double> weight, Matrix<double> bias)
{
    public Matrix<double> Weight { get; } = weight;
    public Matrix<double> Bias { get; } = bias;

    [Differentiable]
    public Matrix<double> Forward(Matrix<double> x) => Matrix.MatMul(x, Weight) + Bias;
}

/// <summary>A dense layer in float: x·W + b.</summary>
public sealed partial class DenseFloat(Matrix<float> weight, Matrix<float> bias)
{
    public Matrix<float> Weight { get; } = weight;
    public Matrix<float> Bias { get; } = bias;

    [Differentiable]
    public Matrix<float> Forward(Matrix<float> x) => Matrix.MatMul(x, Weight) + Bias;
}

/// <summary>Seed 000's XOR network: ŷ = σ(X·W1)·W2, L = ‖ŷ − y‖² / 2N.</summary>
public sealed partial class XorNetwork(Matrix<double> w1, Matrix<double> w2)
{
    public Matrix<double> W1 { get; } = w1;
    public Matrix<double> W2 { get; } = w2;

    [Differentiable]
    public double Loss([NoDerivative] Matrix<double> x, [NoDerivative] Matrix<double> y) =>
        0.5 * Matrix.Mse(Matrix.MatMul(Matrix.Sigmoid(Matrix.MatMul(x, W1)), W2), y);
}

/// <summary>dense → σ → dense → softmax + cross-entropy, in double.</summary>
public sealed partial class SigmoidClassifierDouble(DenseDouble hidden, DenseDouble output)
{
    public DenseDouble Hidden { get; } = hidden;
    public DenseDouble Output { get; } = output;

    [Differentiable]
    public double Loss([NoDerivative] Matrix<double> x, int[] labels) =>
        Matrix.CategoricalCrossEntropy(Matrix.Softmax(Output.Forward(Matrix.Sigmoid(Hidden.Forward(x)))), labels);
}

/// <summary>dense → σ → dense → softmax + cross-entropy, in float.</summary>
public sealed partial class SigmoidClassifierFloat(DenseFloat hidden, DenseFloat output)
{
    public DenseFloat Hidden { get; } = hidden;
    public DenseFloat Output { get; } = output;

    [Differentiable]
    public float Loss([NoDerivative] Matrix<float> x, int[] labels) =>
        Matrix.CategoricalCrossEntropy(Matrix.Softmax(Output.Forward(Matrix.Sigmoid(Hidden.Forward(x)))), labels);
}

/// <summary>dense → ReLU → dense → softmax + cross-entropy, in float.</summary>
public sealed partial class ReluClassifierFloat(DenseFloat hidden, DenseFloat output)
{
    public DenseFloat Hidden { get; } = hidden;
    public DenseFloat Output { get; } = output;

    [Differentiable]
    public float Loss([NoDerivative] Matrix<float> x, int[] labels) =>
        Matrix.CategoricalCrossEntropy(Matrix.Softmax(Output.Forward(Matrix.Relu(Hidden.Forward(x)))), labels);
}

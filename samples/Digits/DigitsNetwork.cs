using GradGen;

namespace Digits;

/// <summary>A 64 → 64 (ReLU) → 10 classifier of 8×8 digits; its logits go to PyTorch-style cross-entropy.</summary>
public static partial class DigitsNetwork
{
    [Differentiable]
    public static float Loss(Matrix<float> w1, Matrix<float> b1, Matrix<float> w2, Matrix<float> b2, [NoDerivative] Matrix<float> x, int[] labels) =>
        Matrix.CrossEntropy(Logits(w1, b1, w2, b2, x), labels);

    [Differentiable]
    public static Matrix<float> Logits(Matrix<float> w1, Matrix<float> b1, Matrix<float> w2, Matrix<float> b2, [NoDerivative] Matrix<float> x)
    {
        var hidden = Matrix.Relu(Matrix.MatMul(x, w1) + b1);
        return Matrix.MatMul(hidden, w2) + b2;
    }

    /// <summary>The predicted digit of each row: the largest logit.</summary>
    public static int[] Predict(Matrix<float> w1, Matrix<float> b1, Matrix<float> w2, Matrix<float> b2, Matrix<float> x)
    {
        var logits = Logits(w1, b1, w2, b2, x);
        var predictions = new int[x.Rows];
        for (var r = 0; r < x.Rows; r++) predictions[r] = System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(logits.Row(r));
        return predictions;
    }
}

using GradGen;

namespace DeepRegression;

/// <summary>
/// A regression network of any depth: hidden layers h ← swish(h·Wₗ + bₗ), a linear output layer, mean squared error.
/// The forward loops over the layers; GradGen generates the backward loop over them in reverse.
/// </summary>
public static partial class DeepNetwork
{
    [Differentiable]
    public static float Loss(Matrix<float>[] weights, Matrix<float>[] biases, [NoDerivative] Matrix<float> x, [NoDerivative] Matrix<float> y)
    {
        var h = x;
        var last = weights.Length - 1;
        for (var l = 0; l < last; l++)
        {
            h = Activations.Swish(Matrix.MatMul(h, weights[l]) + biases[l]);
        }
        var prediction = Matrix.MatMul(h, weights[last]) + biases[last];
        return Matrix.Mse(prediction, y);
    }

    /// <summary>The same forward, returning the predictions.</summary>
    public static Matrix<float> Predict(Matrix<float>[] weights, Matrix<float>[] biases, Matrix<float> x)
    {
        var h = x;
        for (var l = 0; l < weights.Length - 1; l++) h = Activations.Swish(Matrix.MatMul(h, weights[l]) + biases[l]);
        return Matrix.MatMul(h, weights[^1]) + biases[^1];
    }
}

using System;
using GradGen;

namespace DeepRegression;

/// <summary>Full-batch Adam with the gradient GradGen generated for <see cref="RegressionModel.Loss"/>.</summary>
public static class Training
{
    /// <summary>The curve to learn, y = sin(3x) on [−1, 1], at <paramref name="points"/> evenly spaced x.</summary>
    public static (Matrix<float> X, Matrix<float> Y) Data(int points)
    {
        var (x, y) = (new Matrix<float>(points, 1), new Matrix<float>(points, 1));
        for (var i = 0; i < points; i++)
        {
            x.Span[i] = -1 + 2f * i / (points - 1);
            y.Span[i] = MathF.Sin(3 * x.Span[i]);
        }
        return (x, y);
    }

    public static float Train(RegressionModel model, Matrix<float> x, Matrix<float> y, int epochs, double rate,
        Action<int, float>? report = null, int reportEvery = 500)
    {
        var optimizer = new Adam<float>(rate, epsilon: 1e-7);
        var loss = 0f;
        // The generated backward takes its matrices from the workspace; the swish's own forward (user code) still allocates.
        var workspace = new Workspace();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            (loss, var gradient) = model.LossWithGradient(x, y, workspace);
            if (epoch % reportEvery == 0) report?.Invoke(epoch, loss);
            optimizer.Step(model, gradient);
        }
        return loss;
    }
}

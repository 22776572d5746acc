using System;
using GradGen;

namespace GradGen.Tests.Functions;

/// <summary>Methods with forward mode (<c>Pushforward = true</c>): snapshot-tested, their pushforward checked against the gradient.</summary>
public static partial class ForwardFunctions
{
    [Differentiable(Pushforward = true)]
    public static double Logistic(double w1, double w2, double b, [NoDerivative] double x1, [NoDerivative] double x2, [NoDerivative] double y)
    {
        double z = w1 * x1 + w2 * x2 + b;
        double yhat = 1 / (1 + Math.Exp(-z));
        return -y * Math.Log(yhat) - (1 - y) * Math.Log(1 - yhat);
    }

    [Differentiable(Pushforward = true)]
    public static float Iterated(float x, float rate, int steps)
    {
        if (rate < 0) throw new ArgumentOutOfRangeException(nameof(rate));
        var value = x;
        for (int i = 0; i < steps; i++)
        {
            value -= rate * MathF.Sin(value);
            if (value < 0) value = -value * rate;
        }
        if (value > 2) return value * value;
        return value;
    }

    /// <summary>A call: the callee's pushforward gives the call's value and tangent at once.</summary>
    [Differentiable(Pushforward = true)]
    public static double Composed(double a, double b) => Logistic(a, b, 0.5, 1.5, 2.5, 1) * Math.Exp(-a * a) + Square(b);

    [Differentiable(Pushforward = true)]
    public static double Square(double x) => x * x;

    /// <summary>An array parameter: its tangent is an array of the same length. Its Jacobian is the gradient as one row.</summary>
    [Differentiable(Jacobian = true)]
    public static double WeightedNorm(double[] w, double scale)
    {
        var s = 0.0;
        for (int i = 0; i < w.Length; i++) s += (i + 1) * w[i] * w[i];
        return Math.Sqrt(s) * scale;
    }

    /// <summary>A layer over matrices: its pushforward returns the output and the output's tangent; its Jacobian takes rows (22 inputs, 6 outputs).</summary>
    [Differentiable(Jacobian = true)]
    public static Matrix<double> Dense(Matrix<double> x, Matrix<double> w, Matrix<double> b) => Matrix.Relu(Matrix.MatMul(x, w) + b);

    /// <summary>A network: a layer call (its input is data, its tangent zero), a product, a loss on logits.</summary>
    [Differentiable(Pushforward = true)]
    public static double Network(Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, [NoDerivative] Matrix<double> x, [NoDerivative] int[] labels) =>
        Matrix.CrossEntropy(Matrix.MatMul(Dense(x, w1, b1), w2), labels);

    /// <summary>Two inputs, a matrix of outputs: its Jacobian takes columns (pushforwards).</summary>
    [Differentiable(Jacobian = true)]
    public static Matrix<double> Curve(double t, double s, [NoDerivative] Matrix<double> grid) => Matrix.Tanh(grid * t) * s + t;

    /// <summary>A rule written by hand for both modes: log(1 + eˣ), stable for large |x|.</summary>
    [CustomPullback(nameof(SoftplusPullback)), CustomPushforward(nameof(SoftplusPushforward))]
    public static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    public static double SoftplusPullback(double x, double dL_dresult, ref double dL_dx)
    {
        dL_dx += dL_dresult / (1 + Math.Exp(-x));
        return Softplus(x);
    }

    public static (double Value, double Tangent) SoftplusPushforward(double x, double dx) => (Softplus(x), dx / (1 + Math.Exp(-x)));

    /// <summary>x / (1 + |x|) elementwise, a matrix rule for both modes taking the caller's workspace.</summary>
    [CustomPullback(nameof(SoftSignPullback)), CustomPushforward(nameof(SoftSignPushforward))]
    public static Matrix<double> SoftSign(Matrix<double> z) => z / (Matrix.Sqrt(z * z) + 1);

    public static Matrix<double> SoftSignPullback(Matrix<double> z, Matrix<double> dL_dresult, ref Matrix<double> dL_dz, Workspace? workspace)
    {
        var denominator = Matrix.Sqrt(z * z) + 1;
        dL_dz += dL_dresult / (denominator * denominator);
        return z / denominator;
    }

    public static (Matrix<double> Value, Matrix<double> Tangent) SoftSignPushforward(Matrix<double> z, Matrix<double> dz, Workspace? workspace)
    {
        var denominator = Matrix.Sqrt(z * z) + 1;
        return (z / denominator, dz / (denominator * denominator));
    }

    /// <summary>Calls of the hand-written rules: forward mode calls their pushforwards.</summary>
    [Differentiable(Pushforward = true)]
    public static double WithRules(Matrix<double> w, double a, [NoDerivative] Matrix<double> x) =>
        Matrix.Sum(SoftSign(Matrix.MatMul(x, w))) * Softplus(a * 3) + Softplus(-a);
}

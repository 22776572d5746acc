using System;
using GradGen;

namespace GradGen.Tests.Functions;

/// <summary>Seed 000's exercises (the XOR network itself is samples/Xor's XorNetwork).</summary>
public static partial class NetworkFunctions
{
    /// <summary>The exercises' variant: dense layers with bias, ReLU and tanh, a third layer.</summary>
    [Differentiable]
    public static double ThreeLayers(Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, Matrix<double> b2, Matrix<double> w3,
        [NoDerivative] Matrix<double> x, [NoDerivative] Matrix<double> y)
    {
        var a1 = Matrix.Relu(Matrix.MatMul(x, w1) + b1);
        var a2 = Matrix.Tanh(Matrix.MatMul(a1, w2) + b2);
        var yhat = Matrix.MatMul(a2, w3);
        return Matrix.Mse(yhat, y) / 2;
    }
}

using CsCheck;

namespace GradGen.Tests.Properties;

/// <summary>A random network: the body of <c>Loss(w1, b1, w2, b2, s, x, y, labels)</c> and the seed of its data.</summary>
public sealed record NetworkProgram(string Body, int DataSeed)
{
    public override string ToString() => $"data seed {DataSeed}\n{Body}";
}

/// <summary>
/// Random networks over <c>Matrix&lt;double&gt;</c>: products, biases broadcast on either side, smooth activations (so that
/// finite differences are a fair oracle), compound assignments, a branch on a scalar, a loop applying a layer repeatedly,
/// and one of the losses (fused or not). Shapes: x 5×3, w1 3×4, b1 1×4, w2 4×2, b2 1×2, y 5×2 in (0, 1), 5 labels of 2 classes.
/// </summary>
public static class NetworkProgramGen
{
    public static readonly Gen<NetworkProgram> Program =
        from hidden in Hidden
        from extra in Gen.Frequency((3, Gen.Const("")), (1, Gen.Const("for (int i = 0; i < 2; i++) h = Matrix.Tanh(h * s + b1);\n")),
            (1, Gen.Const("if (s > 0.5) h = h * s;\nelse h = Matrix.Sigmoid(h);\n")), (1, Gen.Const("h += b1;\nh *= s;\n")))
        from output in Gen.OneOf("var o = Matrix.MatMul(h, w2) + b2;\n", "var o = b2 + Matrix.MatMul(h, w2);\n", "var o = Matrix.MatMul(h, w2) * s;\n")
        from loss in Gen.OneOf(
            "return Matrix.Mse(o, y);",
            "return Matrix.CategoricalCrossEntropy(Matrix.Softmax(o), labels);",
            "var p = Matrix.Softmax(o);\nreturn Matrix.CategoricalCrossEntropy(p, labels) + 0.1 * Matrix.Sum(p * p);",
            "return Matrix.BinaryCrossEntropy(Matrix.Sigmoid(o), y);",
            "return Matrix.Mean(Matrix.Tanh(o)) * s + Matrix.Sum(o * o) / o.Rows;",
            "return Matrix.Sum(Matrix.RowSums(o) * o) / o.Length;")
        from seed in Gen.Int[0, 1000]
        select new NetworkProgram(
            "[Differentiable] public static double Loss(Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, Matrix<double> b2, double s,\n"
            + "    [NoDerivative] Matrix<double> x, [NoDerivative] Matrix<double> y, int[] labels)\n{\n" + hidden + extra + output + loss + "\n}\n",
            seed);

    private static Gen<string> Hidden =>
        from linear in Gen.OneOf("Matrix.MatMul(x, w1) + b1", "b1 + Matrix.MatMul(x, w1)", "Matrix.MatMul(x, w1) * b1", "b1 * Matrix.MatMul(x, w1) - b1")
        from activation in Gen.OneOf("Matrix.Tanh({0})", "Matrix.Sigmoid({0})", "Matrix.Exp(Matrix.Tanh({0}))", "({0}) * ({0})", "Matrix.Sqrt(({0}) * ({0}) + 1.0)", "Matrix.Softmax({0})", "({0}) / (Matrix.Sigmoid({0}) + 1.0)")
        select "var h = " + string.Format(System.Globalization.CultureInfo.InvariantCulture, activation, linear) + ";\n";
}

using GradGen.Tests.Functions;
using static GradGen.Tests.TestMatrices;

namespace GradGen.Tests;

/// <summary>Seed 000 through generated code: the XOR network's gradient against the seed's hand-derived backward, and by finite differences.</summary>
public class NetworkTests
{
    private static readonly Matrix<double> X = Matrix<double>.FromRows([0, 0], [0, 1], [1, 0], [1, 1]);
    private static readonly Matrix<double> Y = Matrix<double>.FromRows([0], [1], [1], [0]);

    [Fact]
    public void Xor_gradient_equals_the_seeds_vectorized_backward_pass()
    {
        var random = new Random(42);
        for (var trial = 0; trial < 5; trial++)
        {
            var w1 = Random(random, 2, 3);
            var w2 = Random(random, 3, 1);
            var x = Random(random, 4, 2);

            var (loss, dw1, dw2) = NetworkFunctions.XorLossWithGradient(w1, w2, x, Y);

            // The seed's backward_pass, ported line by line.
            var a = Matrix.Sigmoid(Matrix.MatMul(x, w1));
            var yhat = Matrix.MatMul(a, w2);
            var n = x.Rows;
            var dL_dyhat = (yhat - Y) * (1.0 / n);
            var expectedDw2 = Matrix.MatMul(Matrix.Transpose(a), dL_dyhat);
            var expectedDw1 = Matrix.MatMul(Matrix.Transpose(x), Matrix.MatMul(dL_dyhat, Matrix.Transpose(w2)) * a * (1.0 - a));

            Assert.Equal(Matrix.Sum((yhat - Y) * (yhat - Y)) / (2 * n), loss, 12);
            AssertClose(expectedDw1, dw1, 1e-12);
            AssertClose(expectedDw2, dw2, 1e-12);
        }
    }

    [Fact]
    public void Xor_network_trains_to_the_right_predictions()
    {
        var random = new Random(1);
        var w1 = Random(random, 2, 3);
        var w2 = Random(random, 3, 1);
        double first = 0, last = 0;
        for (var epoch = 0; epoch < 10000; epoch++)
        {
            var (loss, dw1, dw2) = NetworkFunctions.XorLossWithGradient(w1, w2, X, Y);
            if (epoch == 0) first = loss;
            last = loss;
            w1 -= dw1 * 2.0;
            w2 -= dw2 * 2.0;
        }
        var predictions = Matrix.MatMul(Matrix.Sigmoid(Matrix.MatMul(X, w1)), w2);
        Assert.True(last < first / 10, $"loss {first} → {last}");
        Assert.Equal([0, 1, 1, 0], predictions.Span.ToArray().Select(p => p > 0.5 ? 1 : 0));
    }

    [Fact]
    public void Three_layers_with_bias_relu_and_tanh_match_finite_differences()
    {
        var random = new Random(3);
        var parameters = new[] { Random(random, 2, 4), Random(random, 1, 4), Random(random, 4, 3), Random(random, 1, 3), Random(random, 3, 1) };
        var x = Random(random, 5, 2);
        var y = Random(random, 5, 1);
        double Loss() => NetworkFunctions.ThreeLayers(parameters[0], parameters[1], parameters[2], parameters[3], parameters[4], x, y);

        var g = NetworkFunctions.ThreeLayersWithGradient(parameters[0], parameters[1], parameters[2], parameters[3], parameters[4], x, y);
        var gradients = new[] { g.dL_dw1, g.dL_db1, g.dL_dw2, g.dL_db2, g.dL_dw3 };

        Assert.Equal(Loss(), g.Value, 14);
        for (var p = 0; p < parameters.Length; p++)
        {
            for (var i = 0; i < parameters[p].Length; i++)
            {
                var saved = parameters[p].Span[i];
                const double h = 1e-6;
                parameters[p].Span[i] = saved + h;
                var plus = Loss();
                parameters[p].Span[i] = saved - h;
                var minus = Loss();
                parameters[p].Span[i] = saved;
                Assert.Equal((plus - minus) / (2 * h), gradients[p].Span[i], 6);
            }
        }
    }
}

using GradGen.Tests.Functions;
using Spiral;
using Xor;
using static GradGen.Tests.TestMatrices;

namespace GradGen.Tests;

/// <summary>
/// The samples' networks and seed 000's exercises through generated code: the XOR gradient against the seed's
/// hand-derived backward, training to the right answers, and finite differences.
/// </summary>
public class NetworkTests
{
    private static readonly Matrix<double> Y = XorModel.Targets;

    [Fact]
    public void Xor_gradient_equals_the_seeds_vectorized_backward_pass()
    {
        var random = new Random(42);
        for (var trial = 0; trial < 5; trial++)
        {
            var w1 = Random(random, 2, 3);
            var w2 = Random(random, 3, 1);
            var x = Random(random, 4, 2);

            var (loss, gradient) = new XorModel(w1, w2).LossWithGradient(x, Y);
            var (dw1, dw2) = (gradient.W1, gradient.W2);

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
    public void Xor_sample_trains_to_the_right_predictions_with_the_seeds_hyperparameters()
    {
        var losses = new List<double>();
        var model = XorModel.Train(epochs: 10000, learningRate: 0.1, seed: 0, report: (_, loss) => losses.Add(loss));

        var predictions = model.Predict(XorModel.Inputs);
        Assert.True(losses[^1] < losses[0] / 10, $"loss {losses[0]} → {losses[^1]}");
        Assert.Equal([0, 1, 1, 0], predictions.Span.ToArray().Select(p => p > 0.5 ? 1 : 0));
    }

    [Fact]
    public void Spiral_sample_gradient_equals_the_textbook_backward_in_float()
    {
        var (x, labels) = SpiralData.Generate(samplesPerClass: 20, classes: 3, new Random(1));
        var random = new Random(2);
        var (w1, b1, w2, b2) = (ToFloat(Random(random, 2, 16)), ToFloat(Random(random, 1, 16)), ToFloat(Random(random, 16, 3)), ToFloat(Random(random, 1, 3)));

        var model = SpiralWith(w1, b1, w2, b2);
        var (_, gradient) = model.LossWithGradient(x, labels);
        var (dw1, db1, dw2, db2) = (gradient.Hidden.Weight, gradient.Hidden.Bias, gradient.Output.Weight, gradient.Output.Bias);

        // The hand-derived backward of dense → ReLU → dense → softmax + cross-entropy.
        var z1 = Matrix.MatMul(x, w1) + b1;
        var hidden = Matrix.Relu(z1);
        var p = Matrix.Softmax(Matrix.MatMul(hidden, w2) + b2);
        var dz2 = (p - Matrix.OneHot(labels, p)) / (float)x.Rows;
        var dz1 = Matrix.MaskWherePositive(Matrix.MatMul(dz2, Matrix.Transpose(w2)), z1);
        AssertClose(ToDouble(Matrix.MatMul(Matrix.Transpose(x), dz1)), ToDouble(dw1), 1e-6);
        AssertClose(ToDouble(Matrix.ColumnSums(dz1)), ToDouble(db1), 1e-6);
        AssertClose(ToDouble(Matrix.MatMul(Matrix.Transpose(hidden), dz2)), ToDouble(dw2), 1e-6);
        AssertClose(ToDouble(Matrix.ColumnSums(dz2)), ToDouble(db2), 1e-6);
    }

    [Fact]
    [Trait("Lane", "Slow")]
    public void Spiral_sample_reaches_90_percent_training_accuracy()
    {
        var (x, labels) = SpiralData.Generate(samplesPerClass: 100, classes: 3, new Random(0));

        var network = Training.Train(x, labels, classes: 3, hidden: 128, epochs: 10001, seed: 0);

        Assert.True(network.Accuracy(x, labels) >= 0.9, $"accuracy {network.Accuracy(x, labels):P1}");
    }

    /// <summary>A spiral model holding the given parameters (its constructor draws its own).</summary>
    internal static SpiralModel SpiralWith(Matrix<float> w1, Matrix<float> b1, Matrix<float> w2, Matrix<float> b2)
    {
        var model = new SpiralModel(w1.Rows, w1.Columns, w2.Columns, new Random(0));
        foreach (var (to, from) in new[] { (model.Hidden.Weight, w1), (model.Hidden.Bias, b1), (model.Output.Weight, w2), (model.Output.Bias, b2) }) from.Span.CopyTo(to.Span);
        return model;
    }

    [Fact]
    public void Deep_regression_sample_gradient_equals_the_textbook_backward_over_its_layers()
    {
        var (x, y) = DeepRegression.Training.Data(points: 24);
        var model = new DeepRegression.RegressionModel([1, 8, 6, 5, 1], seed: 4);
        var (weights, biases) = (model.Layers.Select(l => l.Weight).ToArray(), model.Layers.Select(l => l.Bias).ToArray());
        var random = new Random(5);
        foreach (var b in biases) ToFloat(Random(random, 1, b.Columns)).Span.CopyTo(b.Span);   // nonzero biases, so that their gradient is tested

        var (loss, gradient) = model.LossWithGradient(x, y);
        var (dweights, dbiases) = (gradient.Layers.Select(l => l.Weight).ToArray(), gradient.Layers.Select(l => l.Bias).ToArray());

        // The hand-derived backward: keep each layer's input h and pre-activation z; then, from the output down,
        // dz = dh ⊙ swish'(z), dW = hᵀ·dz, db = column sums of dz, dh = dz·Wᵀ.
        var last = weights.Length - 1;
        var (inputs, preactivations) = (new Matrix<float>[weights.Length], new Matrix<float>[last]);
        inputs[0] = x;
        for (var l = 0; l < last; l++)
        {
            preactivations[l] = Matrix.MatMul(inputs[l], weights[l]) + biases[l];
            var sigmoid = Matrix.Sigmoid(preactivations[l]);
            inputs[l + 1] = preactivations[l] * sigmoid;
        }
        var prediction = Matrix.MatMul(inputs[last], weights[last]) + biases[last];
        Tolerance.AssertClose(Matrix.Mse(prediction, y), loss, Tolerance.Float, "loss");
        var dz = 2f * (prediction - y) / x.Rows;
        for (var l = last; l >= 0; l--)
        {
            AssertClose(ToDouble(Matrix.MatMul(Matrix.Transpose(inputs[l]), dz)), ToDouble(dweights[l]), Tolerance.Float);
            AssertClose(ToDouble(Matrix.ColumnSums(dz)), ToDouble(dbiases[l]), Tolerance.Float);
            if (l == 0) break;
            var dh = Matrix.MatMul(dz, Matrix.Transpose(weights[l]));
            var s = Matrix.Sigmoid(preactivations[l - 1]);
            dz = dh * s * (1f + preactivations[l - 1] * (1f - s));
        }
    }

    [Fact]
    public void Deep_regression_sample_fits_the_curve()
    {
        var (x, y) = DeepRegression.Training.Data(points: 128);
        var model = new DeepRegression.RegressionModel([1, 32, 32, 32, 1], seed: 0);

        var mse = DeepRegression.Training.Train(model, x, y, epochs: 1000, rate: 0.005);

        Assert.True(mse < 1e-4f, $"mean squared error {mse}");
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

        Tolerance.AssertClose(Loss(), g.Value, Tolerance.Double);
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
                Tolerance.AssertClose((plus - minus) / (2 * h), gradients[p].Span[i], Tolerance.FiniteDifference, $"parameter {p}, element {i}");
            }
        }
    }
}

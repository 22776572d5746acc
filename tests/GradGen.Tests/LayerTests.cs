using GradGen.Tests.Functions;
using static GradGen.Tests.TestMatrices;

namespace GradGen.Tests;

/// <summary>Seed 002's backpropagation numbers, through generated code.</summary>
public class LayerTests
{
    private static readonly Matrix<double> Inputs = Matrix<double>.FromRows([1, 2, 3, 2.5], [2, 5, -1, 2], [-1.5, 2.7, 3.3, -0.8]);

    private static Matrix<double> Weights() =>
        Matrix.Transpose(Matrix<double>.FromRows([0.2, 0.8, -0.5, 1], [0.5, -0.91, 0.26, -0.5], [-0.26, -0.27, 0.17, 0.87]));

    private static Matrix<double> Biases() => Matrix<double>.FromRows([2, 3, 0.5]);

    private static readonly Matrix<double> SoftmaxOutputs = Matrix<double>.FromRows([0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]);
    private static readonly int[] ClassTargets = [0, 1, 1];

    [Fact]
    public void Dense_layer_pullback_gives_the_seeds_dinputs_dweights_and_dbiases()
    {
        var dvalues = Matrix<double>.FromRows([1, 1, 1], [2, 2, 2], [3, 3, 3]);
        var (weights, biases) = (Weights(), Biases());
        var dinputs = Inputs.ZerosLike();
        var dweights = weights.ZerosLike();
        var dbiases = biases.ZerosLike();

        var output = LayerFunctions.DensePullback(Inputs, weights, biases, dvalues, ref dinputs, ref dweights, ref dbiases);

        Assert.Equal(Matrix.MatMul(Inputs, weights) + biases, output);
        AssertClose(Matrix<double>.FromRows([0.44, -0.38, -0.07, 1.37], [0.88, -0.76, -0.14, 2.74], [1.32, -1.14, -0.21, 4.11]), dinputs);
        AssertClose(Matrix<double>.FromRows([0.5, 0.5, 0.5], [20.1, 20.1, 20.1], [10.9, 10.9, 10.9], [4.1, 4.1, 4.1]), dweights);
        Assert.Equal(Matrix<double>.FromRows([6, 6, 6]), dbiases);
    }

    [Fact]
    public void Relu_pullback_masks_the_seeds_example_by_the_forward_input()
    {
        var z = Matrix<double>.FromRows([1, 2, -3, -4], [2, -7, -1, 3], [-1, 2, 5, -1]);
        var dvalues = Matrix<double>.FromRows([1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]);
        var dz = z.ZerosLike();

        LayerFunctions.ReluPullback(z, dvalues, ref dz);

        Assert.Equal(Matrix<double>.FromRows([1, 2, 0, 0], [5, 0, 0, 8], [0, 10, 11, 0]), dz);
    }

    [Fact]
    public void One_SGD_step_on_the_relu_output_gives_the_seeds_weights_and_biases()
    {
        var (weights, biases) = (Weights(), Biases());

        var (_, dweights, dbiases) = LayerFunctions.ReluOutputSquaredWithGradient(weights, biases, Inputs);
        weights += -0.001 * dweights;
        biases += -0.001 * dbiases;

        // The seed prints 7 significant digits.
        AssertClose(Matrix<double>.FromRows(
            [0.179515, 0.5003665, -0.262746],
            [0.742093, -0.9152577, -0.2758402],
            [-0.510153, 0.2529017, 0.1629592],
            [0.971328, -0.5021842, 0.8636583]), weights, 5e-8);
        AssertClose(Matrix<double>.FromRows([1.98489, 2.997739, 0.497389]), biases, 5e-7);
    }

    [Fact]
    public void Softmax_cross_entropy_gradient_is_the_seeds_through_the_fused_and_the_separate_path()
    {
        // Logits whose softmax is exactly the seed's softmax outputs (each row already sums to 1).
        var logits = Matrix.Log(SoftmaxOutputs);
        var expected = Matrix<double>.FromRows(
            [-0.1, 0.03333333, 0.06666667],
            [0.03333333, -0.16666667, 0.13333333],
            [0.00666667, -0.03333333, 0.02666667]);

        var fused = LayerFunctions.SoftmaxCrossEntropyWithGradient(logits, ClassTargets).dL_dlogits;

        // The seed's separate path: the loss's backward, then the activation's backward.
        var dprobabilities = LayerFunctions.CrossEntropyWithGradient(SoftmaxOutputs, ClassTargets).dL_dprobabilities;
        var separate = logits.ZerosLike();
        LayerFunctions.SoftmaxPullback(logits, dprobabilities, ref separate);

        AssertClose(expected, fused, 5e-9);
        AssertClose(fused, separate, 1e-15);
        AssertClose(fused, (SoftmaxOutputs - Matrix.OneHot(ClassTargets, SoftmaxOutputs)) / 3.0, 1e-15);
    }

    [Fact]
    public void Fused_and_separate_paths_agree_with_finite_differences()
    {
        var random = new Random(7);
        var logits = Random(random, 5, 4) * 3.0;
        int[] labels = [0, 3, 1, 1, 2];
        var targets = Matrix.OneHot(labels, logits);
        var y = Matrix<double>.FromRows([1, 0], [0, 0], [1, 1], [0, 1], [1, 0]);
        var z = Random(random, 5, 2) * 2.0;

        AssertFiniteDifferences(l => LayerFunctions.SoftmaxCrossEntropy(l, labels), logits, LayerFunctions.SoftmaxCrossEntropyWithGradient(logits, labels).dL_dlogits);
        AssertFiniteDifferences(l => LayerFunctions.SoftmaxCrossEntropyOneHot(l, targets), logits, LayerFunctions.SoftmaxCrossEntropyOneHotWithGradient(logits, targets).dL_dlogits);
        AssertFiniteDifferences(l => LayerFunctions.SoftmaxUsedTwice(l, labels), logits, LayerFunctions.SoftmaxUsedTwiceWithGradient(logits, labels).dL_dlogits);
        AssertFiniteDifferences(v => LayerFunctions.SigmoidBinaryCrossEntropy(v, y), z, LayerFunctions.SigmoidBinaryCrossEntropyWithGradient(z, y).dL_dz);
        var p = Matrix.Softmax(logits);
        AssertFiniteDifferences(v => LayerFunctions.CrossEntropy(v, labels), p, LayerFunctions.CrossEntropyWithGradient(p, labels).dL_dprobabilities);
    }

    /// <summary>Asserts that <paramref name="gradient"/> is f's gradient at <paramref name="x"/>, by central differences.</summary>
    [Fact]
    public void Cross_entropy_after_a_softmax_used_elsewhere_keeps_learning_at_saturated_logits()
    {
        // Logits ±1000: p is exactly one-hot on the wrong class. The softmax's Jacobian there is 0, so the unfused chain
        // (−1/clip(p) through it) gave a zero gradient; the fused rule gives (p − onehot)/N, whatever else reads p.
        var logits = Matrix<double>.FromRows([1000, -1000, 0], [-1000, 1000, 0]);
        int[] labels = [1, 0];
        var (loss, dlogits) = LayerFunctions.SoftmaxUsedTwiceWithGradient(logits, labels);
        Assert.True(double.IsFinite(loss));
        AssertClose(Matrix<double>.FromRows([0.5, -0.5, 0], [-0.5, 0.5, 0]), dlogits, 1e-12);
    }

    internal static void AssertFiniteDifferences(Func<Matrix<double>, double> f, Matrix<double> x, Matrix<double> gradient, double tolerance = 1e-6)
    {
        var report = GradientCheck.Check(() => f(x), [("x", x, gradient)], new GradientCheckOptions(tolerance, tolerance, Step: 1e-6));
        Assert.True(report.Passed, report.ToString());
    }
}

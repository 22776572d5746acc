using CsCheck;

namespace GradGen.Tests;

/// <summary>
/// The activations of a sum that the generated forward calls for a layer's bias and activation (<c>SigmoidOfSum</c>…)
/// give f(a + b) for every shape <c>+</c> accepts, operands either way round, on matrices small and large enough to be
/// shared; and the error <c>+</c> gives for any other pair of shapes.
/// </summary>
public class FusedForwardTests
{
    private static readonly (string Name, Func<Matrix<double>, Matrix<double>, Matrix<double>> Fused, Func<Matrix<double>, Matrix<double>> Alone)[] s_functions =
    [
        ("Sigmoid", (a, b) => Matrix.SigmoidOfSum(a, b), x => Matrix.Sigmoid(x)),
        ("Tanh", (a, b) => Matrix.TanhOfSum(a, b), x => Matrix.Tanh(x)),
        ("Relu", (a, b) => Matrix.ReluOfSum(a, b), x => Matrix.Relu(x)),
        ("Softmax", (a, b) => Matrix.SoftmaxOfSum(a, b), x => Matrix.Softmax(x)),
    ];

    [Fact]
    [Trait("Lane", "Slow")]
    public void An_activation_of_a_sum_is_the_activation_of_the_sum()
    {
        // Shapes up to 700×300: below and above the 2¹⁵ elements from which passes are shared.
        var gen = Gen.Select(Gen.Int[1, 700], Gen.Int[1, 300], Gen.Int[0, 2], Gen.Bool, Gen.Int[0, 1000]);
        Properties.PropertyTests.Run(gen, shape =>
        {
            var (rows, columns, kind, swap, seed) = shape;
            var random = new Random(seed);
            var full = TestMatrices.Random(random, rows, columns);
            var other = TestMatrices.Random(random, kind == 1 ? 1 : rows, kind == 2 ? 1 : columns);
            var (a, b) = swap ? (other, full) : (full, other);
            var sum = a + b;
            foreach (var (name, fused, alone) in s_functions)
            {
                var (expected, actual) = (alone(sum), fused(a, b));
                Assert.Equal(sum.Shape, actual.Shape);
                for (var i = 0; i < sum.Length; i++)
                {
                    var (e, g) = (expected.Span[i], actual.Span[i]);
                    // The same sum; the activation's vectorized and scalar paths may differ in the last bit.
                    Assert.True(Math.Abs(e - g) <= 4e-16 * Math.Max(1, Math.Abs(e)), $"{name} of {a.Shape} + {b.Shape}, element {i}: {e:R} from the sum, {g:R} fused");
                }
            }
        }, stream: 41);
    }

    [Theory]
    [InlineData(3, 4, 2, 4)]
    [InlineData(3, 4, 1, 3)]
    [InlineData(3, 1, 1, 4)]
    public void Shapes_that_do_not_broadcast_are_the_error_of_a_sum(int rows, int columns, int otherRows, int otherColumns)
    {
        var (a, b) = (new Matrix<double>(rows, columns), new Matrix<double>(otherRows, otherColumns));
        var expected = Assert.Throws<ArgumentException>(() => a + b).Message;
        foreach (var (name, fused, _) in s_functions)
        {
            Assert.Equal(expected, Assert.Throws<ArgumentException>(() => fused(a, b)).Message);
        }
    }
}

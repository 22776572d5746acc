using System.Runtime.CompilerServices;

namespace GradGen.Tests;

/// <summary>
/// Constructs at the edges of what GradGen reads: integer data inside differentiated code, increments, remainders,
/// omitted optional arguments, compound assignment to matrices. Each is checked by value and finite differences.
/// </summary>
public class EdgeProgramTests
{
    [Fact]
    public void A_conversion_to_int_is_a_constant_of_the_gradient() => ScalarPrograms.Check("""
        [Differentiable] public static double F(double x) => (int)x * x + (int)(x * 3) * 0.5;
        """, [2.3], [-1.7], [0.4]);

    [Fact]
    public void Int_locals_with_increments_and_remainders() => ScalarPrograms.Check("""
        [Differentiable] public static double F(double a, double b, int n)
        {
            var s = 0.0;
            var k = 0;
            for (int i = 0; i < n; i++)
            {
                if ((i * 2 + k) % 3 == 0) s += a * (i + 1);
                else s += b * s;
                k++;
                k += 1;
                k--;
                ++k;
            }
            return s;
        }
        """, [1.5, -0.5, 7], [0.3, 0.9, 5]);

    [Fact]
    public void For_loops_with_a_constant_step() => ScalarPrograms.Check("""
        [Differentiable] public static double F(double a, double b)
        {
            var s = a;
            for (int i = 0; i < 7; i += 3) s = s * b + i;
            for (int j = 10; j > 0; j -= 4) s = Math.Sin(s) * a + j;
            return s;
        }
        """, [1.5, -0.5], [0.3, 0.9]);

    [Fact]
    public void Remainder_of_doubles() => ScalarPrograms.Check("""
        [Differentiable] public static double F(double a, double b)
        {
            var r = a % b;
            r %= 0.75;
            return r * a;
        }
        """, [5.3, 1.7], [-4.1, 1.3], [2.2, -0.9]);

    [Fact]
    public void Increments_of_doubles_and_in_while_loops() => ScalarPrograms.Check("""
        [Differentiable] public static double F(double x)
        {
            var y = x;
            y++;
            --y;
            y--;
            var n = 0;
            while (n < 4) { y *= x; n++; }
            return y;
        }
        """, [1.3], [-0.7]);

    [Fact]
    public void Omitted_optional_arguments_take_their_default_values() => ScalarPrograms.Check("""
        [Differentiable] public static double F(double x) => Scaled(x) + Scaled(x, power: 3) + Scaled(scale: 0.5, x: x);

        [Differentiable] public static double Scaled(double x, double scale = 2, int power = 2) => scale * Math.Pow(x, power);
        """, [1.3], [-0.7]);

    [Fact]
    public void Compound_assignment_to_matrices()
    {
        var type = GeneratorHarness.Load("""
            using GradGen;
            public static partial class P
            {
                [Differentiable] public static double F(Matrix<double> w, Matrix<double> b, double c, [NoDerivative] Matrix<double> x)
                {
                    var z = Matrix.MatMul(x, w);
                    z += b;
                    z *= c;
                    z -= 0.5;
                    z /= 2.0;
                    for (int i = 0; i < 2; i++) z += Matrix.Tanh(z) * c;
                    return Matrix.Sum(z * z);
                }
            }
            """).GetType("P")!;
        var random = new Random(3);
        var w = TestMatrices.Random(random, 3, 2);
        var b = TestMatrices.Random(random, 1, 2);
        var x = TestMatrices.Random(random, 4, 3);
        const double c = 0.7;
        var f = type.GetMethod("F")!;
        var result = (ITuple)type.GetMethod("FWithGradient")!.Invoke(null, [w, b, c, x, null])!;
        LayerTests.AssertFiniteDifferences(m => (double)f.Invoke(null, [m, b, c, x])!, w, (Matrix<double>)result[1]!);
        LayerTests.AssertFiniteDifferences(m => (double)f.Invoke(null, [w, m, c, x])!, b, (Matrix<double>)result[2]!);
        FiniteDifference.Check(p => (double)f.Invoke(null, [w, b, p[0], x])!, [c], [(double)result[3]!], [0]);
    }

    [Fact]
    public void OneHot_of_labels_is_a_constant()
    {
        var type = GeneratorHarness.Load("""
            using GradGen;
            public static partial class P
            {
                [Differentiable] public static double F(Matrix<double> logits, int[] labels)
                {
                    var p = Matrix.Softmax(logits);
                    return -Matrix.Sum(Matrix.OneHot(labels, p) * Matrix.Log(p)) / p.Rows;
                }
            }
            """).GetType("P")!;
        var logits = TestMatrices.Random(new Random(4), 3, 4);
        int[] labels = [1, 0, 3];
        var result = (ITuple)type.GetMethod("FWithGradient")!.Invoke(null, [logits, labels, null])!;
        LayerTests.AssertFiniteDifferences(m => (double)type.GetMethod("F")!.Invoke(null, [m, labels])!, logits, (Matrix<double>)result[1]!);
    }
}

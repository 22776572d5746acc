using GradGen.Tests.Functions;

namespace GradGen.Tests;

/// <summary>Calls between methods through generated code: the caller's backward calls the callee's pullback.</summary>
public class CallTests
{
    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.7)]
    public void A_helper_called_with_one_variable_twice(double x)
    {
        FiniteDifference.Check(p => CallFunctions.Square(p[0]), [x], CallFunctions.SquareWithGradient(x));
        Assert.Equal(2 * x, CallFunctions.SquareWithGradient(x).dL_dx, 15);
    }

    [Fact]
    public void A_constant_argument_where_the_callee_differentiates() =>
        FiniteDifference.Check(p => CallFunctions.TimesThree(p[0]), [0.4], CallFunctions.TimesThreeWithGradient(0.4));

    [Theory]
    [InlineData(0.5, 1.2)]
    [InlineData(-1.3, 0.4)]
    [InlineData(2.0, -3.0)]
    public void Helpers_of_another_type_generated_and_custom(double x, double y) =>
        FiniteDifference.Check(p => CallFunctions.Smooth(p[0], p[1]), [x, y], CallFunctions.SmoothWithGradient(x, y));

    [Theory]
    [InlineData(1.5)]
    [InlineData(-1.5)]
    public void A_call_inside_a_branch(double x) =>
        FiniteDifference.Check(p => CallFunctions.BranchCall(p[0]), [x], CallFunctions.BranchCallWithGradient(x));

    [Fact]
    public void A_NoDerivative_method_is_a_constant()
    {
        var (value, dx) = CallFunctions.DetachWithGradient(3.0);
        Assert.Equal(9.0, value);
        Assert.Equal(3.0, dx);
    }

    [Fact]
    public void The_custom_pullback_is_the_one_called()
    {
        // The straight-through rule differs from the true derivative on purpose: the gradient follows the rule.
        var (value, dx) = CallFunctions.QuantizedWithGradient(2.3);
        Assert.Equal(2.0 * 2.3, value, 15);
        Assert.Equal(2.0 + 2.3, dx, 15);
    }

    [Fact]
    public void A_network_of_layer_calls_and_a_custom_activation()
    {
        var random = new Random(11);
        var (w1, b1, w2, b2) = (TestMatrices.Random(random, 3, 5), TestMatrices.Random(random, 1, 5), TestMatrices.Random(random, 5, 4), TestMatrices.Random(random, 1, 4));
        var x = TestMatrices.Random(random, 6, 3);
        int[] labels = [0, 3, 1, 2, 3, 0];
        var gradient = CallFunctions.NetworkWithGradient(w1, b1, w2, b2, x, labels);

        Assert.Equal(CallFunctions.Network(w1, b1, w2, b2, x, labels), gradient.Value, 12);
        LayerTests.AssertFiniteDifferences(m => CallFunctions.Network(m, b1, w2, b2, x, labels), w1, gradient.dL_dw1);
        LayerTests.AssertFiniteDifferences(m => CallFunctions.Network(w1, m, w2, b2, x, labels), b1, gradient.dL_db1);
        LayerTests.AssertFiniteDifferences(m => CallFunctions.Network(w1, b1, m, b2, x, labels), w2, gradient.dL_dw2);
        LayerTests.AssertFiniteDifferences(m => CallFunctions.Network(w1, b1, w2, m, x, labels), b2, gradient.dL_db2);
    }

    [Fact]
    public void Rules_and_differentiable_methods_of_a_referenced_assembly()
    {
        const string library = """
            using GradGen;
            namespace Library;
            public static partial class Functions
            {
                [Differentiable] public static double Square(double x) => x * x;

                [CustomPullback(typeof(Rules), nameof(Rules.CubePullback))]
                public static double Cube(double x) => x * x * x;
            }
            public static class Rules
            {
                public static double CubePullback(double x, double dL_dresult, ref double dL_dx)
                {
                    dL_dx += dL_dresult * 3 * x * x;
                    return x * x * x;
                }
            }
            """;
        const string consumer = """
            using GradGen;
            namespace Consumer;
            public static partial class Losses
            {
                [Differentiable] public static double Loss(double x) => Library.Functions.Square(x) + Library.Functions.Cube(x);
            }
            """;
        var (_, compiled) = GeneratorHarness.Run(library);
        using var image = new MemoryStream();
        Assert.True(compiled.Emit(image).Success);
        var reference = Microsoft.CodeAnalysis.MetadataReference.CreateFromImage(image.ToArray());

        var compilation = GeneratorHarness.Compilation(consumer).AddReferences(reference);
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);

        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        var generated = output.SyntaxTrees.Last().ToString();
        Assert.Contains("global::Library.Functions.SquarePullback(x, dL_dt0, ref dL_dx, workspace);", generated);
        Assert.Contains("global::Library.Rules.CubePullback(x, dL_dt1, ref dL_dx);", generated);
    }
}

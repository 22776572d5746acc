using GradGen.Tests.Functions;
using static GradGen.Tests.TestMatrices;

namespace GradGen.Tests;

/// <summary>
/// Models as types: each generated model gradient against central finite differences taken through the model's own
/// parameter visitor (so every parameter number is checked, whatever the model's shape), the dotted names, and the
/// gradient operations a training loop uses.
/// </summary>
public class ModelTests
{
    [Fact]
    public void Nested_layers_a_number_and_a_call_of_the_models_own_method_match_finite_differences()
    {
        var model = TwoLayer(new Random(1));
        var (x, labels) = (Random(new Random(2), 6, 3), new[] { 0, 1, 2, 1, 0, 2 });

        var (loss, gradient) = model.LossWithGradient(x, labels);

        Tolerance.AssertClose(model.Loss(x, labels), loss, Tolerance.Double, "loss");
        AssertGradient(model, gradient, () => model.Loss(x, labels), step: 1e-6, Tolerance.FiniteDifference);
    }

    [Fact]
    public void An_array_of_layers_a_layer_used_twice_and_a_member_read_directly_match_finite_differences()
    {
        var random = new Random(3);
        var model = new DeepModel
        {
            Layers = [Layer(random, 4, 4), Layer(random, 4, 4), Layer(random, 4, 4)],
            Shared = Layer(random, 4, 4),
            Scale = Random(random, 1, 4),
        };
        var (x, y) = (Random(random, 5, 4), Random(random, 5, 4));

        var (loss, gradient) = model.LossWithGradient(x, y);

        Tolerance.AssertClose(model.Loss(x, y), loss, Tolerance.Double, "loss");
        AssertGradient(model, gradient, () => model.Loss(x, y), step: 1e-6, Tolerance.FiniteDifference);
    }

    [Fact]
    public void A_float_struct_model_with_an_array_of_matrices_and_a_NoDerivative_mask_matches_finite_differences()
    {
        var random = new Random(4);
        var model = new StructModel
        {
            Weights = [ToFloat(Random(random, 3, 3)), ToFloat(Random(random, 3, 3))],
            Mask = ToFloat(Random(random, 4, 3)),
        };
        var x = ToFloat(Random(random, 4, 3));

        var (energy, gradient) = model.EnergyWithGradient(x);

        Tolerance.AssertClose(model.Energy(x), energy, Tolerance.Float, "energy");
        // In float, central differences with h = 3e-3: truncation O(h²·f‴) ≈ 1e-5, rounding O(ε·|f|/h) ≈ 4e-5·|f| (|f| ≈ 3).
        AssertGradient(model, gradient, () => model.Energy(x), step: 3e-3, tolerance: 2e-3);
        Assert.Equal(["weights.0", "weights.1"], model.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void A_record_model_with_numbers_and_an_array_of_numbers_matches_finite_differences()
    {
        var model = new ScalarModel { A = 0.7, B = -0.4, C = [1.5, -0.25] };

        var (value, gradient, dx) = model.ValueWithGradient(1.3);

        Tolerance.AssertClose(model.Value(1.3), value, Tolerance.Double, "value");
        // A declared parameter keeps its own adjoint beside the model's gradient.
        Tolerance.AssertClose((model.Value(1.3 + 1e-6) - model.Value(1.3 - 1e-6)) / 2e-6, dx, Tolerance.FiniteDifference, "dL/dx");
        AssertGradient(model, gradient, () => model.Value(1.3), step: 1e-6, Tolerance.FiniteDifference);
        Assert.Equal(1.3 * 1.3, gradient.C[0], 12);
    }

    [Fact]
    public void A_static_method_taking_models_gets_each_ones_gradient_and_matches_finite_differences()
    {
        var (first, second) = (TwoLayer(new Random(11)), TwoLayer(new Random(12)));
        var (x, labels) = (Random(new Random(13), 6, 3), new[] { 0, 1, 2, 1, 0, 2 });

        var (value, dL_dmodel, dL_dlambda) = ModelLosses.RegularizedWithGradient(first, x, labels, 0.3);
        Tolerance.AssertClose(ModelLosses.Regularized(first, x, labels, 0.3), value, Tolerance.Double, "value");
        Tolerance.AssertClose(Matrix.Sum(first.Hidden.Weight * first.Hidden.Weight), dL_dlambda, Tolerance.Double, "dL/dλ");
        AssertGradient(first, dL_dmodel, () => ModelLosses.Regularized(first, x, labels, 0.3), step: 1e-6, Tolerance.FiniteDifference);

        Assert.Equal("second", Assert.Throws<ArgumentNullException>(() => ModelLosses.DisagreementWithGradient(first, null!, x)).ParamName);
        var (_, dL_dfirst, dL_dsecond) = ModelLosses.DisagreementWithGradient(first, second, x);
        AssertGradient(first, dL_dfirst, () => ModelLosses.Disagreement(first, second, x), step: 1e-6, Tolerance.FiniteDifference);
        AssertGradient(second, dL_dsecond, () => ModelLosses.Disagreement(first, second, x), step: 1e-6, Tolerance.FiniteDifference);
    }

    [Fact]
    public void Parameters_have_PyTorch_dotted_names_in_declaration_order_and_NoDerivative_members_are_not_parameters()
    {
        var model = TwoLayer(new Random(1));
        Assert.Equal(["hidden.weight", "hidden.bias", "output.weight", "output.bias", "temperature"], model.NamedParameters().Select(p => p.Name));

        var deep = new DeepModel { Layers = [Layer(new Random(1), 2, 2), Layer(new Random(2), 2, 2)], Shared = Layer(new Random(3), 2, 2), Scale = new Matrix<double>(1, 2) };
        Assert.Equal(["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "shared.weight", "shared.bias", "scale"], deep.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Gradient_operations_count_measure_clip_scale_add_and_zero_every_parameter()
    {
        var model = TwoLayer(new Random(5));
        var (x, labels) = (Random(new Random(6), 6, 3), new[] { 0, 1, 2, 1, 0, 2 });
        var (_, gradient) = model.LossWithGradient(x, labels);
        var numbers = gradient.NamedParameters().SelectMany(p => p.Value.Span.ToArray()).ToArray();

        Assert.Equal(3 * 5 + 5 + 5 * 3 + 3 + 1, model.ParameterCount());
        Assert.Equal(model.ParameterCount(), gradient.ParameterCount());
        var norm = Math.Sqrt(numbers.Sum(v => v * v));
        Tolerance.AssertClose(norm, gradient.GlobalNorm(), Tolerance.Double, "global norm");

        Assert.Equal(norm, gradient.ClipByGlobalNorm(norm * 2));   // under the limit: unchanged
        Tolerance.AssertClose(norm, gradient.GlobalNorm(), Tolerance.Double, "unclipped norm");
        Assert.Equal(norm, gradient.ClipByGlobalNorm(norm / 4));
        Tolerance.AssertClose(norm / 4, gradient.GlobalNorm(), 1e-6, "clipped norm");   // PyTorch's max/(norm + 1e-6)

        gradient.Scale(4.0);
        gradient.Add(gradient);
        var doubled = gradient.NamedParameters().SelectMany(p => p.Value.Span.ToArray()).ToArray();
        for (var i = 0; i < numbers.Length; i++) Tolerance.AssertClose(2 * 4 * numbers[i] * (norm / 4) / (norm + 1e-6), doubled[i], Tolerance.Double, "scaled and added");

        gradient.Zero();
        Assert.Equal(0, gradient.GlobalNorm());
    }

    [Fact]
    public void The_gradient_comes_from_the_workspace_and_a_steady_step_allocates_nothing()
    {
        var model = TwoLayer(new Random(7));
        var (x, labels) = (Random(new Random(8), 6, 3), new[] { 0, 1, 2, 1, 0, 2 });
        var workspace = new Workspace();
        var optimizer = new AdamW<double>(0.01);
        var first = model.LossWithGradient(x, labels, workspace).Gradient;
        optimizer.Step(model, first);
        var second = model.LossWithGradient(x, labels, workspace).Gradient;
        Assert.Same(first, second);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var (_, gradient) = model.LossWithGradient(x, labels, workspace);
        optimizer.Step(model, gradient);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    internal static TwoLayerModel TwoLayer(Random random) => new(Layer(random, 3, 5), Layer(random, 5, 3), temperature: 0.8);

    private static DenseLayer Layer(Random random, int inputs, int outputs) => new(Random(random, inputs, outputs), Random(random, 1, outputs));

    /// <summary>
    /// Every number of every parameter, nudged by ±h (h = <paramref name="step"/>·max(1, |θ|)) through the model's visitor:
    /// the central difference of <paramref name="loss"/> against the gradient's number, relative to max(1, |∂L/∂θ|).
    /// </summary>
    internal static void AssertGradient<T, TGradient>(IModel<T, TGradient> model, TGradient gradient, Func<double> loss, double step, double tolerance)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where TGradient : IModel<T>
    {
        var checker = new DifferenceChecker<T>(loss, step, tolerance, []);
        model.Visit(gradient, ref checker);
        Assert.True(checker.Checked > 0, "the model has no parameter numbers");
        Assert.True(checker.Failures.Count == 0, string.Join("\n", checker.Failures));
    }

    private struct DifferenceChecker<T>(Func<double> loss, double step, double tolerance, List<string> failures) : IParameterVisitor<T>
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        public int Checked;
        public readonly List<string> Failures => failures;
        public readonly bool NeedsNames => true;

        public void Visit(Parameter<T> parameter)
        {
            for (var i = 0; i < parameter.Value.Length; i++)
            {
                var original = parameter.Value[i];
                var h = T.CreateChecked(step * Math.Max(1, Math.Abs(double.CreateChecked(original))));
                parameter.Value[i] = original + h;
                var up = loss();
                parameter.Value[i] = original - h;
                var down = loss();
                parameter.Value[i] = original;
                // The step actually taken, as the number type rounds it.
                var taken = double.CreateChecked(original + h) - double.CreateChecked(original - h);
                var expected = (up - down) / taken;
                var actual = double.CreateChecked(parameter.Gradient[i]);
                if (Math.Abs(actual - expected) > tolerance * Math.Max(1, Math.Abs(expected)))
                {
                    failures.Add($"{parameter.Name}[{i}]: gradient {actual:R}, differences {expected:R}");
                }
                Checked++;
            }
        }
    }
}

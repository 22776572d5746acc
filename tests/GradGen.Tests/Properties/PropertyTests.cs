using System.Reflection;
using System.Runtime.CompilerServices;
using CsCheck;

namespace GradGen.Tests.Properties;

/// <summary>
/// Random programs through GradGen, checked against an independent oracle. CI runs a fixed set of seeds
/// (<see cref="Iterations"/>, deterministic); <c>GRADGEN_PROPERTY_ITERATIONS=5000</c> runs a longer search. A failure is
/// shrunk by CsCheck to a minimal program, printed with its seed.
/// </summary>
public class PropertyTests
{
    /// <summary>How many programs a run checks: 60 in the test command, more when the environment asks.</summary>
    private static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("GRADGEN_PROPERTY_ITERATIONS"), out var n) ? n : 60;

    [Fact]
    public void Random_scalar_programs_have_the_gradient_of_their_dual_number_twin() =>
        Run(ScalarProgramGen.Program, CheckAgainstDuals, stream: 11);

    [Fact]
    public void Random_scalar_programs_have_the_pushforward_of_their_dual_number_twin() =>
        Run(ScalarProgramGen.ForwardProgram, Reported<ScalarProgram>(CheckPushforward), stream: 13);

    [Fact]
    public void Random_scalar_programs_have_Hessian_vector_products_of_their_gradients_differences() =>
        Run(ScalarProgramGen.HessianProgram, Reported<ScalarProgram>(CheckHessianVector), stream: 19);

    [Fact]
    public void Random_networks_have_pushforwards_of_their_gradients() =>
        Run(NetworkProgramGen.Program, Reported<NetworkProgram>(CheckNetworkPushforward), stream: 23);

    [Fact]
    public void Random_networks_have_the_gradient_of_finite_differences() =>
        Run(NetworkProgramGen.Program, Reported<NetworkProgram>(CheckNetwork), stream: 17);

    /// <summary>
    /// Checks seeds 0, 1, 2… of a fixed PCG stream one by one (the same programs on every run); on the first failure,
    /// lets CsCheck shrink from that seed and fail with the smallest program it finds.
    /// </summary>
    internal static void Run<T>(Gen<T> gen, Action<T> check, uint stream) => Run(gen, check, stream, Iterations);

    /// <inheritdoc cref="Run{T}(Gen{T}, Action{T}, uint)"/>
    internal static void Run<T>(Gen<T> gen, Action<T> check, uint stream, int iterations)
    {
        for (var i = 0; i < iterations; i++)
        {
            var seed = new PCG(stream, (ulong)i * 0x9E3779B97F4A7C15UL).ToString();
            try
            {
                gen.Sample(check, seed: seed, iter: 1, threads: 1);
            }
            catch (Exception)
            {
                gen.Sample(check, seed: seed, iter: 3000, threads: 1, print: p => p!.ToString()!);
                throw;
            }
        }
    }

    /// <summary>The check, failing with the program and what went wrong: the shrunk program is the report.</summary>
    private static Action<T> Reported<T>(Action<T> check) where T : notnull => program =>
    {
        try
        {
            check(program);
        }
        catch (Exception e)
        {
            var message = e is TargetInvocationException { InnerException: { } inner } ? inner.ToString() : e.Message;
            throw new Xunit.Sdk.XunitException(program + "\n" + message[..Math.Min(message.Length, 1500)]);
        }
    };

    [Fact]
    public void Random_models_have_the_gradient_of_finite_differences_and_in_float_that_of_their_double_twin() =>
        Run(ModelProgramGen.Program, Reported<ModelProgram>(CheckModel), stream: 29);

    /// <summary>
    /// The double model's gradient (every parameter number, in visit order) against central differences; the float twin's
    /// (built from the same draws, rounded) against the double one's, within float's precision over a few layers.
    /// </summary>
    private static void CheckModel(ModelProgram program)
    {
        var inDouble = GeneratorHarness.Load(program.Source("double")).GetType("Check")!;
        var inFloat = GeneratorHarness.Load(program.Source("float")).GetType("Check")!;
        T Call<T>(Type check, string name, params object[] arguments) => (T)check.GetMethod(name)!.Invoke(null, arguments)!;

        var names = Call<string[]>(inDouble, "Names", program.DataSeed);
        Assert.Equal(names, Call<string[]>(inFloat, "Names", program.DataSeed));
        var gradient = Call<double[]>(inDouble, "Gradient", program.DataSeed);
        var differences = Call<double[]>(inDouble, "Differences", program.DataSeed, 1e-6);
        var single = Call<double[]>(inFloat, "Gradient", program.DataSeed);
        Assert.Equal(differences.Length, gradient.Length);
        Assert.Equal(gradient.Length, single.Length);
        for (var i = 0; i < gradient.Length; i++)
        {
            Tolerance.AssertClose(differences[i], gradient[i], Tolerance.FiniteDifference, $"number {i} of the gradient ({string.Join(", ", names)})");
            // Float's ulp is 1.2e-7; a loss over a batch through a few layers accumulates some hundreds of them.
            Tolerance.AssertClose(gradient[i], single[i], 1e-4, $"number {i} of the float gradient");
        }
    }

    private static void CheckNetwork(NetworkProgram program)
    {
        var type = GeneratorHarness.Load("using System;\nusing GradGen;\npublic static partial class N\n{\n" + program.Body + "}\n").GetType("N")!;
        var random = new Random(program.DataSeed);
        var (parameters, s, x, y, labels) = NetworkData(random);
        var loss = type.GetMethod("Loss")!;
        double F() => (double)loss.Invoke(null, [.. parameters, s, x, y, labels])!;
        var result = (ITuple)type.GetMethod("LossWithGradient")!.Invoke(null, [.. parameters, s, x, y, labels, null])!;
        Tolerance.AssertClose(F(), (double)result[0]!, Tolerance.Double, "loss");
        for (var p = 0; p < parameters.Length; p++)
        {
            var gradient = (Matrix<double>)result[p + 1]!;
            LayerTests.AssertFiniteDifferences(_ => F(), parameters[p], gradient);
        }
        FiniteDifference.Check(point => (double)loss.Invoke(null, [.. parameters, point[0], x, y, labels])!, [s], [(double)result[5]!], [0]);
    }

    /// <summary>The data of the shapes <see cref="NetworkProgramGen"/> says: w1, b1, w2, b2, then s, x, y and labels.</summary>
    private static (Matrix<double>[] Parameters, double S, Matrix<double> X, Matrix<double> Y, int[] Labels) NetworkData(Random random) => (
        [TestMatrices.Random(random, 3, 4), TestMatrices.Random(random, 1, 4), TestMatrices.Random(random, 4, 2), TestMatrices.Random(random, 1, 2)],
        0.3 + random.NextDouble(),
        TestMatrices.Random(random, 5, 3),
        Matrix<double>.Filled(5, 2, 0.5) + 0.4 * TestMatrices.Random(random, 5, 2),
        [0, 1, 1, 0, 1]);

    /// <summary>
    /// Forward mode over matrices: the network's pushforward along random tangents of its five parameters is its
    /// gradient dotted with them (the same derivative by two routes: rounding only).
    /// </summary>
    private static void CheckNetworkPushforward(NetworkProgram program)
    {
        var source = "using System;\nusing GradGen;\npublic static partial class N\n{\n" + program.Body.Replace("[Differentiable]", "[Differentiable(Pushforward = true)]") + "}\n";
        var type = GeneratorHarness.Load(source).GetType("N")!;
        var random = new Random(program.DataSeed);
        var (parameters, s, x, y, labels) = NetworkData(random);
        var tangents = parameters.Select(p => TestMatrices.Random(random, p.Rows, p.Columns)).ToArray();
        var ds = random.NextDouble() - 0.5;

        var gradient = (ITuple)type.GetMethod("LossWithGradient")!.Invoke(null, [.. parameters, s, x, y, labels, null])!;
        var pushforward = (ITuple)type.GetMethod("LossPushforward")!.Invoke(null, [.. parameters, s, x, y, labels, .. tangents, ds, new Workspace()])!;
        var expected = (double)gradient[5]! * ds;
        for (var p = 0; p < 4; p++)
        {
            var g = (Matrix<double>)gradient[p + 1]!;
            for (var i = 0; i < g.Length; i++) expected += g.Span[i] * tangents[p].Span[i];
        }
        Tolerance.AssertClose((double)gradient[0]!, (double)pushforward[0]!, Tolerance.Double, "loss");
        Tolerance.AssertClose(expected, (double)pushforward[1]!, 1e-10, "tangent against the gradient · tangents");
    }

    /// <summary>
    /// Forward mode along a direction (for a, b, c and the items of xs): the value, the dual twin's tangent (the exact
    /// Jacobian-vector product) and the reverse-mode gradient dotted with the direction must agree.
    /// </summary>
    private static void CheckPushforward(ScalarProgram program)
    {
        const int n = 2;
        // The helper the program may call has forward mode too: its pushforward is called.
        var helper = DualPrelude.Helper.Replace("[Differentiable]", ScalarProgramGen.Attribute("Pushforward = true"));
        var source = "using System;\nusing GradGen;\npublic static partial class P\n{\n" + helper + DualPrelude.Twin(helper)
            + program.Body + DualPrelude.Twin(program.Body) + "}\n" + DualPrelude.Source;
        var type = GeneratorHarness.Load(source).GetType("P")!;
        var (a, b, c) = (program.Point[0], program.Point[1], program.Point[2]);
        var xs = program.Items;
        double[] v = [0.3, -0.7, 1.1], dxs = [0.5, -0.2, 0.9];

        var value = Convert.ToDouble(type.GetMethod("F")!.Invoke(null, [a, b, c, xs.Clone(), n]));
        if (!double.IsFinite(value)) return;
        var pushforward = (ITuple)type.GetMethod("FPushforward")!.Invoke(null, [a, b, c, xs.Clone(), n, v[0], v[1], v[2], dxs.Clone()])!;
        Tolerance.AssertClose(value, (double)pushforward[0]!, Tolerance.Double, "value");
        var tangent = (double)pushforward[1]!;

        var dual = type.GetMethod("FDual")!;
        var dualType = dual.GetParameters()[0].ParameterType;
        var items = Array.CreateInstance(dualType, 3);
        for (var k = 0; k < 3; k++) items.SetValue(Activator.CreateInstance(dualType, xs[k], dxs[k]), k);
        var output = dual.Invoke(null, [Activator.CreateInstance(dualType, a, v[0]), Activator.CreateInstance(dualType, b, v[1]), Activator.CreateInstance(dualType, c, v[2]), items, n])!;
        var expected = (double)dualType.GetField("T")!.GetValue(output)!;
        if (!double.IsFinite(expected)) return;
        Tolerance.AssertClose(expected, tangent, 1e-9, "tangent against the dual twin");

        var gradient = (ITuple)type.GetMethod("FWithGradient")!.Invoke(null, [a, b, c, xs.Clone(), n, null])!;
        var dx = (double[])gradient[4]!;
        var dot = (double)gradient[1]! * v[0] + (double)gradient[2]! * v[1] + (double)gradient[3]! * v[2] + dx[0] * dxs[0] + dx[1] * dxs[1] + dx[2] * dxs[2];
        Tolerance.AssertClose(dot, tangent, 1e-9, "tangent against the gradient · v");
    }

    /// <summary>
    /// Second order (and the forward mode it brings) at the program's point, for a, b, c and the items of xs: see
    /// <see cref="SecondOrderChecks.AssertModes"/>.
    /// </summary>
    private static void CheckHessianVector(ScalarProgram program)
    {
        var helper = DualPrelude.Helper.Replace("[Differentiable]", ScalarProgramGen.Attribute("Hessian = true"));
        var type = GeneratorHarness.Load("using System;\nusing GradGen;\npublic static partial class P\n{\n" + helper + program.Body + "}\n").GetType("P")!;
        SecondOrderChecks.AssertModes(new FlatMethod(type, "F", [.. program.Point, program.Items.Clone(), 2]), "");
    }

    private static void CheckAgainstDuals(ScalarProgram program) => Reported<ScalarProgram>(CheckAgainstDualsCore)(program);

    private static void CheckAgainstDualsCore(ScalarProgram program)
    {
        const int n = 2;
        var source = "using System;\nusing GradGen;\npublic static partial class P\n{\n" + DualPrelude.Helper + DualPrelude.Twin(DualPrelude.Helper)
            + program.Body + DualPrelude.Twin(program.Body) + "}\n" + DualPrelude.Source;
        var type = GeneratorHarness.Load(source).GetType("P")!;
        var (a, b, c) = (program.Point[0], program.Point[1], program.Point[2]);
        var xs = program.Items;

        var value = Convert.ToDouble(type.GetMethod("F")!.Invoke(null, [a, b, c, xs.Clone(), n]));
        if (!double.IsFinite(value)) return;   // outside the domain the program happened to reach: nothing to compare
        var result = (ITuple)type.GetMethod("FWithGradient")!.Invoke(null, [a, b, c, xs.Clone(), n, null])!;
        Tolerance.AssertClose(value, (double)result[0]!, Tolerance.Double, "value");
        var gradient = new[] { (double)result[1]!, (double)result[2]!, (double)result[3]! }.Concat((double[])result[4]!).ToArray();

        var dual = type.GetMethod("FDual")!;
        var dualType = dual.GetParameters()[0].ParameterType;
        object Seeded(double v, bool seeded) => Activator.CreateInstance(dualType, v, seeded ? 1.0 : 0.0)!;
        for (var direction = 0; direction < 6; direction++)
        {
            var items = Array.CreateInstance(dualType, 3);
            for (var k = 0; k < 3; k++) items.SetValue(Seeded(xs[k], direction == 3 + k), k);
            var output = dual.Invoke(null, [Seeded(a, direction == 0), Seeded(b, direction == 1), Seeded(c, direction == 2), items, n])!;
            var tangent = (double)dualType.GetField("T")!.GetValue(output)!;
            if (!double.IsFinite(tangent)) return;
            // The same operations in another order (the chain rule backwards instead of forwards): rounding only.
            Tolerance.AssertClose(tangent, gradient[direction], 1e-9, $"∂F/∂{new[] { "a", "b", "c", "xs[0]", "xs[1]", "xs[2]" }[direction]}");
        }
    }
}

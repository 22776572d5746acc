using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using GradGen.Tests.Functions;

namespace GradGen.Tests;

/// <summary>
/// Every matrix rule against central finite differences, in double (Functions/MatrixOperations.cs as compiled in
/// this assembly) and in float (the same file compiled through the generator with 'double' replaced by 'float').
/// </summary>
public class MatrixRuleTests
{
    /// <summary>Shapes other than 3×4, by method and parameter name.</summary>
    private static readonly Dictionary<(string Method, string Parameter), (int Rows, int Columns)> s_shapes = new()
    {
        [("AddRow", "row")] = (1, 4), [("SubtractRow", "row")] = (1, 4), [("MultiplyRow", "row")] = (1, 4), [("DivideRow", "row")] = (1, 4),
        [("ColumnSums", "row")] = (1, 4),
        [("RowPlus", "row")] = (1, 4), [("RowMinus", "row")] = (1, 4), [("RowTimes", "row")] = (1, 4), [("RowOver", "row")] = (1, 4),
        [("ColumnTimes", "column")] = (3, 1),
        [("AddColumn", "column")] = (3, 1), [("SubtractColumn", "column")] = (3, 1), [("MultiplyColumn", "column")] = (3, 1),
        [("DivideColumn", "column")] = (3, 1), [("RowSums", "column")] = (3, 1),
        [("MatMul", "b")] = (4, 2), [("MatMul", "w")] = (3, 2), [("Transpose", "w")] = (4, 3),
    };

    public static TheoryData<string> Methods => new(Differentiable(typeof(MatrixOperations)).Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Methods))]
    public void Double_rule_matches_finite_differences(string method) =>
        Check<double>(typeof(MatrixOperations), method, step: 1e-6, tolerance: 1e-6);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Float_rule_matches_finite_differences(string method) =>
        Check<float>(s_floatOperations.Value, method, step: 1e-2, tolerance: 2e-3);

    /// <summary>
    /// Forward mode of every matrix rule: the pushforward along random tangents (one per differentiated matrix or number)
    /// is the gradient dotted with them, Σ ⟨∂F/∂p, dp⟩ (the same derivative by two routes: rounding only).
    /// </summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Pushforward_is_the_gradient_along_the_tangents(string name) => CheckPushforward<double>(s_forwardOperations.Value, name, 1e-10);

    /// <summary>In float, a sum of tens of products each rounded to 6e-8: 1e-4 relative leaves room for cancellation.</summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Float_pushforward_is_the_gradient_along_the_tangents(string name) => CheckPushforward<float>(s_floatForwardOperations.Value, name, 1e-4);

    private static void CheckPushforward<T>(Type type, string name, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(name.Sum(c => c));
        var parameters = type.GetMethod(name)!.GetParameters();
        var args = parameters.Select(p => Argument<T>(random, name, p)).ToArray();
        var differentiated = parameters.Where(p => p.ParameterType != typeof(int[]) && !p.IsDefined(typeof(NoDerivativeAttribute))).ToList();
        var tangents = differentiated.Select(p => Argument<T>(random, name, p)).ToArray();

        var gradient = (ITuple)type.GetMethod(name + "WithGradient")!.Invoke(null, [.. args, null])!;
        var pushforward = (ITuple)type.GetMethod(name + "Pushforward")!.Invoke(null, [.. args, .. tangents, new Workspace()])!;
        var expected = 0.0;
        for (var k = 0; k < tangents.Length; k++)
        {
            expected += tangents[k] is Matrix<T> t
                ? Enumerable.Range(0, t.Length).Sum(i => double.CreateChecked(((Matrix<T>)gradient[k + 1]!).Span[i] * t.Span[i]))
                : Convert.ToDouble(gradient[k + 1]) * Convert.ToDouble(tangents[k]);
        }
        Tolerance.AssertClose(Convert.ToDouble(gradient[0]), Convert.ToDouble(pushforward[0]), tolerance, "value");
        Tolerance.AssertClose(expected, Convert.ToDouble(pushforward[1]), tolerance, $"{name}: tangent against the gradient · tangents");
    }

    /// <summary>The rules whose gradients call a runtime function with no tangent rule yet (GG0109): second order skips them.</summary>
    private static readonly HashSet<string> s_noSecondOrder =
        ["CrossEntropyOfLabels", "CrossEntropyOfTargets", "BinaryCrossEntropy", "SoftmaxCrossEntropyOfTargets", "SigmoidBinaryCrossEntropy", "Gelu", "GeluTanh", "Silu", "Softplus"];

    /// <summary>
    /// Second order of every matrix rule (but <see cref="s_noSecondOrder"/>): the Hessian-vector product along random
    /// directions against the central difference of the generated gradient.
    /// </summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Hessian_vector_product_is_the_gradients_difference(string name)
    {
        if (s_noSecondOrder.Contains(name)) return;
        var type = s_secondOrderOperations.Value;
        var random = new Random(name.Sum(c => c));
        var parameters = type.GetMethod(name)!.GetParameters();
        var args = parameters.Select(p => Argument<double>(random, name, p)).ToArray();
        var differentiated = parameters.Where(p => p.ParameterType != typeof(int[]) && !p.IsDefined(typeof(NoDerivativeAttribute))).ToList();
        var directions = differentiated.Select(p => Argument<double>(random, name, p)).ToArray();

        var product = (ITuple)type.GetMethod(name + "HessianVectorProduct")!.Invoke(null, [.. args, .. directions, null])!;
        double[] Flat(IEnumerable<object?> values) => values.SelectMany(v => v is Matrix<double> m ? m.Span.ToArray() : [(double)v!]).ToArray();
        var point = Flat(differentiated.Select(p => args[p.Position]));
        object[] Unflat(double[] flat)
        {
            var copy = (object[])args.Clone();
            var at = 0;
            foreach (var p in differentiated)
            {
                if (args[p.Position] is Matrix<double> m) { copy[p.Position] = new Matrix<double>(m.Rows, m.Columns, flat[at..(at + m.Length)]); at += m.Length; }
                else copy[p.Position] = flat[at++];
            }
            return copy;
        }
        IReadOnlyList<double> Gradient(double[] flat)
        {
            var g = (ITuple)type.GetMethod(name + "WithGradient")!.Invoke(null, [.. Unflat(flat), null])!;
            return Flat(Enumerable.Range(1, differentiated.Count).Select(i => g[i]));
        }
        var hv = Flat(Enumerable.Range(1 + 2 * differentiated.Count - differentiated.Count, differentiated.Count).Select(i => product[i]));
        var report = GradientCheck.CheckHessianVector(Gradient, point, Flat(directions), hv, new GradientCheckOptions(Relative: 1e-6, Absolute: 1e-7));
        Assert.True(report.Passed, $"{name}: {report}");
    }

    [Fact]
    public void Rules_without_second_order_are_GG0109_naming_the_function()
    {
        var source = File.ReadAllText(Path.Combine(SourceDirectory(), "Functions", "MatrixOperations.cs")).Replace("[Differentiable]", "[Differentiable(Hessian = true)]");
        var (result, _) = GeneratorHarness.Run(source);
        var uncovered = result.Diagnostics.Where(d => d.Id == "GG0109").Select(d => d.GetMessage()).ToList();
        Assert.True(s_noSecondOrder.Count == uncovered.Count, string.Join("\n", uncovered));
        Assert.All(s_noSecondOrder, name => Assert.Contains(uncovered, message => message.Contains($"'{name}'")));
        Assert.All(uncovered, message => Assert.Contains("does not cover the tangent of 'Matrix.", message));
        Assert.Empty(result.Diagnostics.Where(d => d.Id != "GG0109"));
    }

    private static readonly Lazy<Type> s_secondOrderOperations = new(() => Compile("SecondOrderOperations", string.Join("\n",
        File.ReadAllText(Path.Combine(SourceDirectory(), "Functions", "MatrixOperations.cs")).Split('\n')
            .Select(line => s_noSecondOrder.Any(n => line.Contains($" {n}(")) ? line : line.Replace("[Differentiable]", "[Differentiable(Hessian = true)]")))));

    private static readonly Lazy<Type> s_forwardOperations = new(() => Compile("ForwardOperations",
        File.ReadAllText(Path.Combine(SourceDirectory(), "Functions", "MatrixOperations.cs")).Replace("[Differentiable]", "[Differentiable(Pushforward = true)]")));

    private static readonly Lazy<Type> s_floatForwardOperations = new(() => Compile("FloatForwardOperations",
        File.ReadAllText(Path.Combine(SourceDirectory(), "Functions", "MatrixOperations.cs")).Replace("[Differentiable]", "[Differentiable(Pushforward = true)]").Replace("double", "float")));

    private static Type Compile(string context, string source)
    {
        var (result, output) = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        using var assembly = new MemoryStream();
        var emitted = output.Emit(assembly);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        assembly.Position = 0;
        return new AssemblyLoadContext(context).LoadFromStream(assembly).GetType(typeof(MatrixOperations).FullName!)!;
    }

    private static readonly Lazy<Type> s_floatOperations = new(() => Compile("FloatOperations",
        File.ReadAllText(Path.Combine(SourceDirectory(), "Functions", "MatrixOperations.cs")).Replace("double", "float")));

    private static void Check<T>(Type type, string name, double step, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var method = type.GetMethod(name)!;
        var withGradient = type.GetMethod(name + "WithGradient")!;
        var random = new Random(name.Sum(c => c));
        var parameters = method.GetParameters();
        var args = parameters.Select(p => Argument<T>(random, name, p)).ToArray();
        var differentiated = parameters.Where(p => p.ParameterType != typeof(int[]) && !p.IsDefined(typeof(NoDerivativeAttribute))).ToList();

        var result = (ITuple)withGradient.Invoke(null, [.. args, null])!;
        Assert.Equal(Convert.ToDouble(method.Invoke(null, args)), Convert.ToDouble(result[0]), 1e-5);

        // With a workspace, the second call reuses the first call's buffers (holding its values): same result to the bit.
        var workspace = new Workspace();
        withGradient.Invoke(null, [.. args, workspace]);
        var reused = (ITuple)withGradient.Invoke(null, [.. args, workspace])!;
        for (var i = 0; i < result.Length; i++) Assert.Equal(result[i], reused[i]);

        double F() => Convert.ToDouble(method.Invoke(null, args));
        for (var k = 0; k < differentiated.Count; k++)
        {
            var index = differentiated[k].Position;
            var gradient = result[k + 1]!;
            foreach (var (element, set, get) in Coordinates<T>(args, index, gradient))
            {
                var saved = get();
                var h = step * Math.Max(1, Math.Abs(saved));
                set(saved + h);
                var plus = F();
                set(saved - h);
                var minus = F();
                set(saved);
                var expected = (plus - minus) / (2 * h);
                var error = Math.Abs(element - expected) / Math.Max(1, Math.Abs(expected));
                Assert.True(error < tolerance, $"{name}: ∂/∂{differentiated[k].Name}: generated {element:R}, finite difference {expected:R}");
            }
        }
    }

    /// <summary>Each coordinate of argument <paramref name="index"/>: its generated partial, a setter and a getter.</summary>
    private static IEnumerable<(double Partial, Action<double> Set, Func<double> Get)> Coordinates<T>(object[] args, int index, object gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (args[index] is Matrix<T> matrix)
        {
            var g = (Matrix<T>)gradient;
            for (var i = 0; i < matrix.Length; i++)
            {
                var at = i;
                yield return (double.CreateChecked(g.Span[at]), v => matrix.Span[at] = T.CreateChecked(v), () => double.CreateChecked(matrix.Span[at]));
            }
        }
        else
        {
            yield return (Convert.ToDouble(gradient), v => args[index] = T.CreateChecked(v), () => Convert.ToDouble(args[index]));
        }
    }

    private static object Argument<T>(Random random, string method, ParameterInfo parameter) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (parameter.ParameterType == typeof(int[])) return new[] { 1, 3, 0 };
        if (parameter.ParameterType == typeof(T)) return T.CreateChecked(0.5 + random.NextDouble());
        var (rows, columns) = s_shapes.GetValueOrDefault((method, parameter.Name!), (3, 4));
        var m = new Matrix<T>(rows, columns);
        // Values in ±[0.1, 1]: a finite difference step never crosses ReLU's kink at 0.
        for (var i = 0; i < m.Length; i++) m.Span[i] = T.CreateChecked((random.Next(2) * 2 - 1) * (0.1 + 0.9 * random.NextDouble()));
        return m;
    }

    private static IEnumerable<MethodInfo> Differentiable(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.IsDefined(typeof(DifferentiableAttribute)));

    private static string SourceDirectory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;
}

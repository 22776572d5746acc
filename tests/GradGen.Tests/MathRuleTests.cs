using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using GradGen.Tests.Functions;

namespace GradGen.Tests;

/// <summary>
/// Every Math function rule against central finite differences, in double (Functions/MathFunctions.cs as compiled in this
/// assembly) and in float (the same file through the generator, with double → float and Math → MathF), at points inside
/// each function's domain and near its edges (Asin near ±1, Acosh near 1, Log near 0, Clamp on each side of its bounds).
/// </summary>
public class MathRuleTests
{
    /// <summary>Points of each function's domain, near its edges too (the second-order tests use them as well).</summary>
    internal static readonly Dictionary<string, double[][]> Points = new()
    {
        ["Sinh"] = [[-2], [0.3], [3]],
        ["Cosh"] = [[-2], [0.3], [3]],
        ["Asin"] = [[-0.95], [0], [0.5], [0.95]],
        ["Acos"] = [[-0.95], [0], [0.5], [0.95]],
        ["Atan"] = [[-3], [0.2], [10]],
        ["Atan2"] = [[1, 1], [-1, -0.5], [0.5, -2], [-0.3, 2]],
        ["Asinh"] = [[-2], [0], [3]],
        ["Acosh"] = [[1.1], [2], [10]],
        ["Atanh"] = [[-0.9], [0], [0.9]],
        ["LogBase"] = [[2, 3], [0.5, 10], [5, 0.5]],
        ["Log2"] = [[0.05], [1], [100]],
        ["Log10"] = [[0.05], [1], [100]],
        ["Cbrt"] = [[-8], [0.5], [27]],
        ["Clamp"] = [[-2, -1, 1], [0.3, -1, 1], [5, -1, 1]],
        ["FusedMultiplyAdd"] = [[1.5, -2, 0.3]],
        ["ScaleB"] = [[1.5, 3], [-0.7, -2]],
        ["PowBoth"] = [[2, 3], [0.5, 1.5], [3, -0.5]],
        ["CopySign"] = [[1.5, -2], [-0.5, 3], [0.3, 0.7]],
        ["PiecewiseConstant"] = [[1.3], [-2.6], [0.77]],
        ["GenericExp"] = [[-1], [0.5], [2]],
        ["GenericHypot"] = [[3, 4], [-1, 0.5]],
        ["GenericTrig"] = [[0.3], [-2]],
    };

    public static TheoryData<string> Methods => new(Points.Keys);

    [Fact]
    public void Every_math_function_haPoints() =>
        Assert.Equal(Differentiable(typeof(MathFunctions)).Select(m => m.Name).Order(), Points.Keys.Order());

    [Theory]
    [MemberData(nameof(Methods))]
    public void Double_rule_matches_finite_differences(string method)
    {
        foreach (var point in Points[method]) ScalarPrograms.Check(typeof(MathFunctions), method, point, Tolerance.FiniteDifference);
    }

    /// <summary>
    /// Float: a step of 1e-3 (relative) keeps the rounding error of the difference (ε_float/h ≈ 1e-4) and its truncation
    /// error (h²·f‴) both small against a tolerance of 2e-3.
    /// </summary>
    [Theory]
    [MemberData(nameof(Methods))]
    public void Float_rule_matches_finite_differences(string method)
    {
        foreach (var point in Points[method]) ScalarPrograms.Check(s_float.Value, method, point, tolerance: 2e-3, step: 1e-3);
    }

    private static readonly Lazy<Type> s_float = new(() =>
    {
        var source = File.ReadAllText(Path.Combine(SourceDirectory(), "Functions", "MathFunctions.cs")).Replace("double", "float").Replace("Math.", "MathF.");
        return GeneratorHarness.Load(source).GetType(typeof(MathFunctions).FullName!)!;
    });

    private static IEnumerable<MethodInfo> Differentiable(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.IsDefined(typeof(DifferentiableAttribute)));

    private static string SourceDirectory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;
}

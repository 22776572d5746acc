using System.Reflection;
using System.Runtime.CompilerServices;

namespace GradGen.Tests;

/// <summary>
/// Scalar programs given as source text: compiled through the generator, then their generated gradient is checked
/// against central finite differences of the method itself at each point.
/// </summary>
internal static class ScalarPrograms
{
    /// <summary>Checks <c>P.F</c> of <paramref name="body"/> (a static partial class P's members) at each point.</summary>
    public static void Check(string body, params double[][] points)
    {
        var type = Compile(body);
        foreach (var point in points) Check(type, "F", point);
    }

    public static Type Compile(string members) =>
        GeneratorHarness.Load("using System;\nusing GradGen;\npublic static partial class P\n{\n" + members + "\n}\n").GetType("P")!;

    /// <summary>The value and gradient of <c>name</c> at <paramref name="point"/> against the method and finite differences.</summary>
    public static void Check(Type type, string name, double[] point, double tolerance = 1e-6, double step = 1e-6)
    {
        var method = type.GetMethod(name)!;
        var withGradient = type.GetMethod(name + "WithGradient")!;
        double F(double[] x) => Convert.ToDouble(method.Invoke(null, Arguments(method, x)));
        var result = (ITuple)withGradient.Invoke(null, [.. Arguments(method, point), null])!;
        var value = Convert.ToDouble(result[0]);
        Assert.True(value.Equals(F(point)), $"{name} at [{string.Join(", ", point)}]: value {value:R}, expected {F(point):R}");
        Assert.True(double.IsFinite(value), $"{name} at [{string.Join(", ", point)}] is {value}: not a point of its domain");
        var differentiated = method.GetParameters().Where(p => p.ParameterType != typeof(int) && !p.IsDefined(typeof(NoDerivativeAttribute))).Select(p => p.Position).ToArray();
        var gradient = Enumerable.Range(1, result.Length - 1).Select(i => Convert.ToDouble(result[i])).ToArray();
        FiniteDifference.Check(F, point, gradient, differentiated, tolerance, step);
    }

    private static object[] Arguments(MethodInfo method, double[] point) =>
        method.GetParameters().Select((p, i) => Convert.ChangeType(point[i], p.ParameterType, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
}

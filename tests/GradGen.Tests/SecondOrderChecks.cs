using System.Reflection;
using System.Runtime.CompilerServices;

namespace GradGen.Tests;

/// <summary>
/// A generated method over numbers and arrays of numbers, called with its differentiated numbers as one flat vector
/// (parameters in order, an array's items one by one), through each of its modes.
/// </summary>
internal sealed class FlatMethod(Type type, string name, object[] arguments)
{
    private readonly ParameterInfo[] _parameters = type.GetMethod(name)!.GetParameters();

    private IEnumerable<ParameterInfo> Differentiated => _parameters.Where(p => p.ParameterType != typeof(int) && !p.IsDefined(typeof(NoDerivativeAttribute)));

    public double[] Point => Flatten(Differentiated.Select(p => arguments[p.Position]));

    public double Value(double[] x) => Convert.ToDouble(type.GetMethod(name)!.Invoke(null, With(x)));

    public double[] Gradient(double[] x) => Flatten(Items((ITuple)type.GetMethod(name + "WithGradient")!.Invoke(null, [.. With(x), null])!).Skip(1));

    /// <summary>The pushforward's value and tangent along <paramref name="v"/>.</summary>
    public (double Value, double Tangent) Pushforward(double[] x, double[] v)
    {
        var result = (ITuple)type.GetMethod(name + "Pushforward")!.Invoke(null, [.. With(x), .. Directions(v)])!;
        return (Convert.ToDouble(result[0]), Convert.ToDouble(result[1]));
    }

    /// <summary>The Hessian-vector product's value, gradient and H·v along <paramref name="v"/>.</summary>
    public (double Value, double[] Gradient, double[] Product) HessianVector(double[] x, double[] v)
    {
        var items = Items((ITuple)type.GetMethod(name + "HessianVectorProduct")!.Invoke(null, [.. With(x), .. Directions(v), null])!).ToList();
        var n = Differentiated.Count();
        return (Convert.ToDouble(items[0]), Flatten(items.Skip(1).Take(n)), Flatten(items.Skip(1 + n)));
    }

    public double[,] Hessian(double[] x) => (double[,])((ITuple)type.GetMethod(name + "Hessian")!.Invoke(null, With(x))!)[2]!;

    /// <summary>The arguments with the differentiated numbers taken from <paramref name="x"/>.</summary>
    private object[] With(double[] x)
    {
        var copy = (object[])arguments.Clone();
        var at = 0;
        foreach (var p in Differentiated)
        {
            if (arguments[p.Position] is double[] array) { copy[p.Position] = x[at..(at + array.Length)]; at += array.Length; }
            else copy[p.Position] = Convert.ChangeType(x[at++], p.ParameterType, System.Globalization.CultureInfo.InvariantCulture);
        }
        return copy;
    }

    /// <summary>A direction shaped like the differentiated parameters.</summary>
    private object[] Directions(double[] v)
    {
        var with = With(v);
        return Differentiated.Select(p => with[p.Position]).ToArray();
    }

    private static IEnumerable<object?> Items(ITuple tuple) => Enumerable.Range(0, tuple.Length).Select(i => tuple[i]);

    private static double[] Flatten(IEnumerable<object?> values) => values.SelectMany(v => v is double[] a ? a : [Convert.ToDouble(v)]).ToArray();
}

/// <summary>Checks of forward mode and second order that hold for any program.</summary>
internal static class SecondOrderChecks
{
    /// <summary>The point moved t along v.</summary>
    private static double[] Moved(double[] point, double[] v, double t) => point.Zip(v, (p, d) => p + t * d).ToArray();

    /// <summary>
    /// H·v against the central difference of the generated gradient along v, wherever that difference is stable: the
    /// one-sided differences on either side agree (no branch or kink in between). Central differences at h and h/2 are
    /// extrapolated (Richardson: truncation O(h⁴)); what is left of the truncation is bounded by the two differences' gap.
    /// </summary>
    public static void AssertHessianVector(Func<double[], double[]> gradient, double[] point, double[] v, double[] hv, string what = "")
    {
        const double h = 1e-4;
        var at = gradient(point);
        double[] Along(double t) => gradient(Moved(point, v, t));
        var (plus, minus, halfPlus, halfMinus) = (Along(h), Along(-h), Along(h / 2), Along(-h / 2));
        for (var i = 0; i < point.Length; i++)
        {
            var (forward, backward) = ((plus[i] - at[i]) / h, (at[i] - minus[i]) / h);
            var (central, half) = ((plus[i] - minus[i]) / (2 * h), (halfPlus[i] - halfMinus[i]) / h);
            if (!double.IsFinite(central) || Math.Abs(forward - backward) > 1e-3 * Math.Max(1, Math.Abs(central))) continue;
            var extrapolated = (4 * half - central) / 3;
            var allowed = 1e-6 * Math.Max(1, Math.Abs(extrapolated)) + Math.Abs(half - central);
            Assert.True(Math.Abs(hv[i] - extrapolated) <= allowed,
                $"{what}(H·v)[{i}] = {hv[i]:R} against the gradient's difference {extrapolated:R} (± {allowed:E2})");
        }
    }

    /// <summary>
    /// Whether the value jumps between the point and the steps of <see cref="AssertHessianVector"/>'s differences along v:
    /// a branch that holds only very near the point (<c>(int)(2·Math.Cos(b))</c> is 2 for |b| &lt; 1e-8 and 1 beyond), where
    /// the gradient can be continuous and its differences on both sides see the other branch's derivative. Smooth, the
    /// second difference shrinks fourfold with the step; across a jump at the point it stays. (Found at seed 19K1Gjhxlac2
    /// of the random Hessian programs.)
    /// </summary>
    public static bool ValueJumps(Func<double[], double> value, double[] point, double[] v)
    {
        const double h = 1e-4;
        double At(double t) => value(Moved(point, v, t));
        var at = value(point);
        var (whole, half) = (At(h) + At(-h) - 2 * at, At(h / 2) + At(-h / 2) - 2 * at);
        return Math.Abs(whole) > 1e-8 * Math.Max(1, Math.Abs(at)) && Math.Abs(half) > 0.4 * Math.Abs(whole);
    }

    /// <summary>
    /// Every mode of a method at a point: the pushforward is the gradient along v; the Hessian-vector product's value and
    /// gradient are the pullback's, its H·v the gradient's difference, symmetric (wᵀ(H·v) = vᵀ(H·w)); the full Hessian's
    /// columns are the products along the unit vectors.
    /// </summary>
    public static void AssertModes(FlatMethod method, string what)
    {
        var x = method.Point;
        var random = new Random(x.Length);
        var v = x.Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var w = x.Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var value = method.Value(x);
        if (!double.IsFinite(value)) return;
        var gradient = method.Gradient(x);
        if (!gradient.All(double.IsFinite)) return;   // outside the domain the program happened to reach: nothing to compare

        var (forward, tangent) = method.Pushforward(x, v);
        Tolerance.AssertClose(value, forward, Tolerance.Double, what + "pushforward's value");
        Tolerance.AssertClose(gradient.Zip(v, (g, d) => g * d).Sum(), tangent, 1e-9, what + "tangent against the gradient · v");

        var (productValue, productGradient, hv) = method.HessianVector(x, v);
        Tolerance.AssertClose(value, productValue, Tolerance.Double, what + "product's value");
        for (var i = 0; i < x.Length; i++) Tolerance.AssertClose(gradient[i], productGradient[i], Tolerance.Double, $"{what}gradient[{i}]");
        if (!hv.All(double.IsFinite)) return;
        if (!ValueJumps(method.Value, x, v)) AssertHessianVector(method.Gradient, x, v, hv, what);
        var hw = method.HessianVector(x, w).Product;
        Tolerance.AssertClose(v.Zip(hw, (a, b) => a * b).Sum(), w.Zip(hv, (a, b) => a * b).Sum(), 1e-9, what + "symmetry");

        var hessian = method.Hessian(x);
        var columns = Enumerable.Range(0, x.Length).Select(k => method.HessianVector(x, x.Select((_, i) => i == k ? 1.0 : 0.0).ToArray()).Product).ToList();
        for (var i = 0; i < x.Length; i++)
        {
            for (var k = 0; k < x.Length; k++) Tolerance.AssertClose((columns[k][i] + columns[i][k]) / 2, hessian[i, k], Tolerance.Double, $"{what}H[{i},{k}]");
        }
    }
}

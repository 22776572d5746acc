using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;

namespace GradGen;

/// <summary>How close a derivative must be to its central difference: |analytic − numeric| ≤ Absolute + Relative·|numeric|.</summary>
/// <param name="Relative">The tolerance relative to the central difference.</param>
/// <param name="Absolute">The tolerance for partials near 0.</param>
/// <param name="Step">The difference step relative to max(1, |x|); by default ε^(1/3) of the type (6e-6 in double, 4.9e-3 in
/// float), which balances the difference's truncation error (∝ h²) against its rounding error (∝ ε/h).</param>
public sealed record GradientCheckOptions(double Relative = 1e-6, double Absolute = 1e-8, double? Step = null)
{
    /// <summary>For float: the difference is computed in float, so only ~4 digits of it are right.</summary>
    public static GradientCheckOptions Float { get; } = new(Relative: 2e-3, Absolute: 1e-4);
}

/// <summary>What a gradient check found: how many partials it compared and the worst of them.</summary>
public sealed record GradientCheckReport(bool Passed, int Checked, string WorstName, int WorstIndex, double WorstAnalytic, double WorstNumeric, double WorstExcess)
{
    /// <summary>Throws, naming the worst element and its two values, when the check failed.</summary>
    public GradientCheckReport ThrowIfFailed() => Passed ? this : throw new GradientCheckException(this);

    public override string ToString() => Checked == 0 ? "gradient check: nothing to compare" : string.Create(CultureInfo.InvariantCulture,
        $"gradient check {(Passed ? "passed" : "FAILED")}: {Checked} partials; worst ∂/∂{WorstName}[{WorstIndex}]: analytic {WorstAnalytic:R}, central difference {WorstNumeric:R}");
}

/// <summary>A gradient that disagrees with its central differences.</summary>
public sealed class GradientCheckException(GradientCheckReport report) : Exception(report.ToString())
{
    public GradientCheckReport Report { get; } = report;
}

/// <summary>
/// Checks a gradient (generated, or hand-written) against central differences of the function itself, as JAX's
/// <c>check_grads</c> and PyTorch's <c>gradcheck</c> do. The parameters are perturbed in place and restored.
/// </summary>
/// <example><code>
/// var (loss, dw, db) = Model.LossWithGradient(w, b, x, y);
/// GradientCheck.Check(() => Model.Loss(w, b, x, y), [("w", w, dw), ("b", b, db)]).ThrowIfFailed();
/// </code></example>
public static class GradientCheck
{
    /// <summary>The partials of a function of numbers: <paramref name="gradient"/>[i] against ∂f/∂xᵢ at <paramref name="point"/>.</summary>
    public static GradientCheckReport Check(Func<double[], double> f, double[] point, IReadOnlyList<double> gradient, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(gradient);
        if (gradient.Count != point.Length) throw new ArgumentException($"GradientCheck: {gradient.Count} partials for {point.Length} coordinates.");
        var worst = new Worst(options ?? new GradientCheckOptions());
        var x = (double[])point.Clone();
        for (var i = 0; i < x.Length; i++)
        {
            var numeric = Central(() => f(x), () => x[i], v => x[i] = v, worst.Step(DoubleEpsilon));
            worst.Add("x", i, gradient[i], numeric);
        }
        return worst.Report();
    }

    /// <summary>
    /// A directional derivative (a generated <c>FPushforward</c>'s tangent, a Jacobian-vector product) against the central
    /// difference of f along <paramref name="direction"/>: (f(x + h·v) − f(x − h·v)) / 2h.
    /// </summary>
    public static GradientCheckReport CheckDirectional(Func<double[], double> f, double[] point, double[] direction, double tangent, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(direction);
        if (direction.Length != point.Length) throw new ArgumentException($"GradientCheck: a direction of {direction.Length} for {point.Length} coordinates.");
        var worst = new Worst(options ?? new GradientCheckOptions());
        var t = 0.0;
        var numeric = Central(() => f(Along(point, direction, t)), () => t, v => t = v, DirectionalStep(worst, point));
        worst.Add("direction", 0, tangent, numeric);
        return worst.Report();
    }

    /// <summary>
    /// A Hessian-vector product (a generated <c>FHessianVectorProduct</c>'s H·v) against the central difference of the
    /// gradient along <paramref name="direction"/>: (∇f(x + h·v) − ∇f(x − h·v)) / 2h, component by component.
    /// </summary>
    public static GradientCheckReport CheckHessianVector(Func<double[], IReadOnlyList<double>> gradient, double[] point, double[] direction, IReadOnlyList<double> product, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(direction);
        ArgumentNullException.ThrowIfNull(product);
        if (direction.Length != point.Length || product.Count != point.Length)
        {
            throw new ArgumentException($"GradientCheck: a direction of {direction.Length} and a product of {product.Count} for {point.Length} coordinates.");
        }
        var worst = new Worst(options ?? new GradientCheckOptions());
        var h = DirectionalStep(worst, point);
        var plus = gradient(Along(point, direction, h));
        var minus = gradient(Along(point, direction, -h));
        for (var i = 0; i < point.Length; i++) worst.Add("H·v", i, product[i], (plus[i] - minus[i]) / (2 * h));
        return worst.Report();
    }

    /// <summary>
    /// A Jacobian (a generated <c>FJacobian</c>'s) against central differences of the function of numbers, column by
    /// column: J[i, k] against (fᵢ(x + h·eₖ) − fᵢ(x − h·eₖ)) / 2h. The report names "J" and the index i·n + k.
    /// </summary>
    public static GradientCheckReport CheckJacobian(Func<double[], IReadOnlyList<double>> f, double[] point, Matrix<double> jacobian, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(jacobian);
        if (jacobian.Columns != point.Length) throw new ArgumentException($"GradientCheck: a Jacobian of {jacobian.Columns} columns for {point.Length} coordinates.");
        var worst = new Worst(options ?? new GradientCheckOptions());
        var x = (double[])point.Clone();
        for (var k = 0; k < x.Length; k++)
        {
            var h = worst.Step(DoubleEpsilon) * Math.Max(1, Math.Abs(x[k]));
            var saved = x[k];
            x[k] = saved + h;
            var plus = f(x);
            x[k] = saved - h;
            var minus = f(x);
            x[k] = saved;
            if (plus.Count != jacobian.Rows) throw new ArgumentException($"GradientCheck: a Jacobian of {jacobian.Rows} rows for {plus.Count} outputs.");
            for (var i = 0; i < plus.Count; i++) worst.Add("J", i * x.Length + k, jacobian[i, k], (plus[i] - minus[i]) / (2 * h));
        }
        return worst.Report();
    }

    /// <summary>A step along a direction, relative to the point's largest coordinate (at least 1).</summary>
    private static double DirectionalStep(Worst worst, double[] point)
    {
        var scale = 1.0;
        foreach (var v in point) scale = Math.Max(scale, Math.Abs(v));
        return worst.Step(DoubleEpsilon) * scale;
    }

    private static double[] Along(double[] point, double[] direction, double t)
    {
        var x = new double[point.Length];
        for (var i = 0; i < x.Length; i++) x[i] = point[i] + t * direction[i];
        return x;
    }

    /// <summary>The gradient of a loss with respect to matrices: each (name, parameter, gradient) element by element.</summary>
    public static GradientCheckReport Check<T>(Func<T> loss, IReadOnlyList<(string Name, Matrix<T> Parameter, Matrix<T> Gradient)> parameters, GradientCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(parameters);
        var worst = new Worst(options ?? (typeof(T) == typeof(float) ? GradientCheckOptions.Float : new GradientCheckOptions()));
        var step = worst.Step(typeof(T) == typeof(float) ? FloatEpsilon : DoubleEpsilon);
        foreach (var (name, parameter, gradient) in parameters)
        {
            Matrix<T>.RequireSameShape("GradientCheck " + name, parameter, gradient);
            for (var i = 0; i < parameter.Length; i++)
            {
                var numeric = Central(() => double.CreateChecked(loss()), () => double.CreateChecked(parameter.Span[i]), v => parameter.Span[i] = T.CreateChecked(v), step);
                worst.Add(name, i, double.CreateChecked(gradient.Span[i]), numeric);
            }
        }
        return worst.Report();
    }

    /// <summary>The spacing of numbers near 1 (T.Epsilon is the smallest subnormal, not this).</summary>
    private const double DoubleEpsilon = 2.220446049250313e-16, FloatEpsilon = 1.1920929e-7;

    /// <summary>(f(x + h) − f(x − h)) / 2h with h relative to max(1, |x|); x is restored.</summary>
    private static double Central(Func<double> f, Func<double> get, Action<double> set, double step)
    {
        var saved = get();
        var h = step * Math.Max(1, Math.Abs(saved));
        set(saved + h);
        var plus = f();
        set(saved - h);
        var minus = f();
        set(saved);
        return (plus - minus) / (2 * h);
    }

    /// <summary>The partial that exceeds its tolerance the most (or comes closest to it).</summary>
    private sealed class Worst(GradientCheckOptions options)
    {
        private GradientCheckReport _worst = new(true, 0, "", -1, 0, 0, double.NegativeInfinity);

        /// <param name="machineEpsilon">ε of the type the function computes in; its cube root is the default step.</param>
        public double Step(double machineEpsilon) => options.Step ?? Math.Cbrt(machineEpsilon);

        public void Add(string name, int index, double analytic, double numeric)
        {
            // How far past its tolerance the partial is: > 0 fails. NaN fails too.
            var excess = Math.Abs(analytic - numeric) - (options.Absolute + options.Relative * Math.Abs(numeric));
            if (double.IsNaN(excess)) excess = double.PositiveInfinity;
            var count = _worst.Checked + 1;
            _worst = excess > _worst.WorstExcess
                ? new GradientCheckReport(_worst.Passed && excess <= 0, count, name, index, analytic, numeric, excess)
                : _worst with { Checked = count };
        }

        public GradientCheckReport Report() => _worst;
    }
}

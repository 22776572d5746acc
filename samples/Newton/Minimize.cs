using System;
using System.Collections.Generic;
using System.Linq;

namespace Newton;

/// <summary>One iterate of a minimization: its step number, the value and the gradient's norm there.</summary>
public readonly record struct Iterate(int Step, double Value, double GradientNorm);

/// <summary>
/// Two minimizers over the same backtracking line search (Armijo's sufficient decrease, halving the step), so that the only
/// difference is the direction: −∇f for gradient descent, −H⁻¹∇f for Newton. Each stops when ‖∇f‖ ≤ tolerance, after
/// maxSteps, or when the line search finds no decrease.
/// </summary>
public static class Minimize
{
    /// <summary>Newton's method: the step solves H·d = −∇f (H made positive definite by a multiple of I where it is not).</summary>
    public static (double[] X, List<Iterate> Trace) Newton(Func<double[], (double Value, double[] Gradient, double[,] Hessian)> f, double[] start, double tolerance, int maxSteps)
    {
        var x = (double[])start.Clone();
        var trace = new List<Iterate>();
        for (var step = 0; ; step++)
        {
            var (value, gradient, hessian) = f(x);
            trace.Add(new Iterate(step, value, Norm(gradient)));
            if (Norm(gradient) <= tolerance || step == maxSteps) return (x, trace);
            var direction = SolvePositiveDefinite(hessian, gradient.Select(g => -g).ToArray());
            if (LineSearch(p => f(p).Value, x, value, gradient, direction) is not { } next) return (x, trace);
            x = next;
        }
    }

    /// <summary>Gradient descent: the step is −∇f, scaled by the line search.</summary>
    public static (double[] X, List<Iterate> Trace) GradientDescent(Func<double[], (double Value, double[] Gradient)> f, double[] start, double tolerance, int maxSteps)
    {
        var x = (double[])start.Clone();
        var trace = new List<Iterate>();
        for (var step = 0; ; step++)
        {
            var (value, gradient) = f(x);
            trace.Add(new Iterate(step, value, Norm(gradient)));
            if (Norm(gradient) <= tolerance || step == maxSteps) return (x, trace);
            if (LineSearch(p => f(p).Value, x, value, gradient, gradient.Select(g => -g).ToArray()) is not { } next) return (x, trace);
            x = next;
        }
    }

    /// <summary>
    /// The first of t = 1, ½, ¼… with f(x + t·d) ≤ f(x) + 10⁻⁴·t·∇f·d; null when none is found before t = 2⁻⁶⁰ (rounding
    /// hides any decrease: the minimizer stops there).
    /// </summary>
    private static double[]? LineSearch(Func<double[], double> f, double[] x, double value, double[] gradient, double[] direction)
    {
        var slope = gradient.Zip(direction, (g, d) => g * d).Sum();
        for (var (t, tries) = (1.0, 0); tries < 60; t /= 2, tries++)
        {
            var candidate = x.Zip(direction, (xi, di) => xi + t * di).ToArray();
            if (f(candidate) <= value + 1e-4 * t * slope) return candidate;
        }
        return null;
    }

    /// <summary>Solves A·d = b by Cholesky; where A is not positive definite, (A + μI) with μ growing tenfold.</summary>
    private static double[] SolvePositiveDefinite(double[,] a, double[] b)
    {
        var n = b.Length;
        for (var shift = 0.0; ; shift = Math.Max(1e-8, shift * 10))
        {
            var l = new double[n, n];
            var ok = true;
            for (var j = 0; j < n && ok; j++)
            {
                var diagonal = a[j, j] + shift;
                for (var k = 0; k < j; k++) diagonal -= l[j, k] * l[j, k];
                if (diagonal <= 0) { ok = false; break; }
                l[j, j] = Math.Sqrt(diagonal);
                for (var i = j + 1; i < n; i++)
                {
                    var sum = a[i, j];
                    for (var k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                    l[i, j] = sum / l[j, j];
                }
            }
            if (!ok) continue;
            // L·Lᵀ·d = b: forward, then back substitution.
            var y = new double[n];
            for (var i = 0; i < n; i++)
            {
                var sum = b[i];
                for (var k = 0; k < i; k++) sum -= l[i, k] * y[k];
                y[i] = sum / l[i, i];
            }
            var d = new double[n];
            for (var i = n - 1; i >= 0; i--)
            {
                var sum = y[i];
                for (var k = i + 1; k < n; k++) sum -= l[k, i] * d[k];
                d[i] = sum / l[i, i];
            }
            return d;
        }
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));
}

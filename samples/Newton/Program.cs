// Newton's method with the Hessian GradGen generates (forward over reverse), against gradient descent with the same line
// search and stopping rule, on Rosenbrock's valley and on a logistic regression fit.
// Writes its plots under samples/Newton/plots/. Run with the option --show-backward to print the generated code.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GradGen;
using Newton;

if (args.Contains("--show-backward"))
{
    GeneratedCode.Print("Newton.Problems.Rosenbrock.g.cs");
    return;
}

var folder = Plots.Folder();

Compare("Rosenbrock's valley from (−1.2, 1)", "rosenbrock.png",
    p => Problems.RosenbrockHessian(p[0], p[1]),
    p => Problems.RosenbrockWithGradient(p[0], p[1]) is var g ? (g.Value, [g.dL_dx, g.dL_dy]) : default,
    [-1.2, 1.0], tolerance: 1e-8);

var (x, y) = Data.TwoClasses(rows: 400, seed: 7);
const double lambda = 1e-3;
Compare($"Logistic regression, {y.Length} points, 2 features (one unstandardized) and an intercept", "logistic.png",
    w => Problems.LogisticLossHessian(w, x, y, Data.Features, lambda) is var h ? (h.Value, h.Gradient[..Data.Features], Leading(h.Hessian, Data.Features)) : default,
    w => Problems.LogisticLossWithGradient(w, x, y, Data.Features, lambda) is var g ? (g.Value, g.dL_dw) : default,
    new double[Data.Features], tolerance: 1e-6);

void Compare(string title, string plot, Func<double[], (double, double[], double[,])> hessian, Func<double[], (double, double[])> gradient, double[] start, double tolerance)
{
    var (newtonAt, newton) = Minimize.Newton(hessian, start, tolerance, maxSteps: 100);
    var (descentAt, descent) = Minimize.GradientDescent(gradient, start, tolerance, maxSteps: 50_000);
    Console.WriteLine($"{title}, until ‖∇f‖ ≤ {tolerance:E0}");
    Console.WriteLine($"  {"step",6}  {"Newton: f",14} {"‖∇f‖",9}   {"gradient descent: f",20} {"‖∇f‖",9}");
    var shown = Enumerable.Range(0, newton.Count).Concat(new[] { 10, 100, 1_000, 10_000, 100_000, descent.Count - 1 }.Where(s => s >= newton.Count && s < descent.Count)).Distinct();
    foreach (var step in shown)
    {
        var left = step < newton.Count ? $"{newton[step].Value,14:E6} {newton[step].GradientNorm,9:E1}" : $"{"",14} {"",9}";
        Console.WriteLine($"  {step,6}  {left}   {descent[step].Value,20:E6} {descent[step].GradientNorm,9:E1}");
    }
    var converged = descent[^1].GradientNorm <= tolerance ? $"{descent.Count - 1} steps" : $"not converged after {descent.Count - 1} steps";
    Console.WriteLine($"  Newton: {newton.Count - 1} steps to ({string.Join(", ", newtonAt.Select(v => v.ToString("F6")))}); gradient descent: {converged}.");
    var plotted = Plots.Curves(Path.Combine(folder, plot), title + ": ‖∇f‖ per step", "‖∇f‖",
        [("Newton", newton.Select(i => (i.Step, i.GradientNorm)).ToList()), ("gradient descent", Thinned(descent).Select(i => (i.Step, i.GradientNorm)).ToList())], logScale: true);
    Console.WriteLine($"  plot: {plotted}");
    Console.WriteLine();
}

// The Hessian over w alone (the method also differentiates lambda, the last number).
static double[,] Leading(double[,] matrix, int n)
{
    var result = new double[n, n];
    for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) result[i, j] = matrix[i, j];
    return result;
}

static IEnumerable<Iterate> Thinned(List<Iterate> trace) => trace.Where((_, i) => i < 100 || i % (trace.Count / 500 + 1) == 0 || i == trace.Count - 1);

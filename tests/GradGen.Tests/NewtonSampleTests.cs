using Newton;

namespace GradGen.Tests;

/// <summary>The Newton sample: with the generated Hessian, a handful of steps where gradient descent needs hundreds or thousands.</summary>
public class NewtonSampleTests
{
    [Fact]
    public void Newton_crosses_Rosenbrocks_valley_in_a_few_dozen_steps_where_gradient_descent_needs_thousands()
    {
        var (newtonAt, newton) = Minimize.Newton(p => Problems.RosenbrockHessian(p[0], p[1]), [-1.2, 1.0], 1e-8, maxSteps: 100);
        var (descentAt, descent) = Minimize.GradientDescent(p => Problems.RosenbrockWithGradient(p[0], p[1]) is var g ? (g.Value, [g.dL_dx, g.dL_dy]) : default, [-1.2, 1.0], 1e-8, maxSteps: 50_000);
        Assert.True(newton[^1].GradientNorm <= 1e-8 && newton.Count - 1 <= 25, $"Newton: {newton.Count - 1} steps, ‖∇f‖ = {newton[^1].GradientNorm:E1}");
        Assert.True(descent[^1].GradientNorm <= 1e-8 && descent.Count - 1 > 5_000, $"gradient descent: {descent.Count - 1} steps, ‖∇f‖ = {descent[^1].GradientNorm:E1}");
        Tolerance.AssertClose(1, newtonAt[0], 1e-8, "x");
        Tolerance.AssertClose(1, newtonAt[1], 1e-8, "y");
        Tolerance.AssertClose(1, descentAt[0], 1e-6, "x by gradient descent");
    }

    [Fact]
    public void Newton_fits_a_logistic_regression_in_a_handful_of_steps_to_the_same_optimum()
    {
        var (x, y) = Data.TwoClasses(rows: 400, seed: 7);
        var (newtonAt, newton) = Minimize.Newton(w => Problems.LogisticLossHessian(w, x, y, Data.Features, 1e-3) is var h ? (h.Value, h.Gradient[..3], Leading(h.Hessian)) : default, new double[3], 1e-6, maxSteps: 50);
        var (descentAt, descent) = Minimize.GradientDescent(w => Problems.LogisticLossWithGradient(w, x, y, Data.Features, 1e-3) is var g ? (g.Value, g.dL_dw) : default, new double[3], 1e-6, maxSteps: 20_000);
        Assert.True(newton.Count - 1 <= 8, $"Newton: {newton.Count - 1} steps");
        Assert.True(descent[^1].GradientNorm <= 1e-6 && descent.Count - 1 > 100, $"gradient descent: {descent.Count - 1} steps, ‖∇f‖ = {descent[^1].GradientNorm:E1}");
        for (var j = 0; j < 3; j++) Tolerance.AssertClose(newtonAt[j], descentAt[j], 1e-4, $"w[{j}]");
    }

    private static double[,] Leading(double[,] hessian)
    {
        var result = new double[3, 3];
        for (var i = 0; i < 3; i++) for (var j = 0; j < 3; j++) result[i, j] = hessian[i, j];
        return result;
    }
}

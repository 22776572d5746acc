using System;
using System.Globalization;
using Seeds;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Console.WriteLine("Seed 001 — the chain rule");
foreach (var x in new[] { -1.0, 0.0, 0.5, 2.0 })
{
    var (f, df) = SeedFunctions.ChainRuleWithGradient(x);
    Console.WriteLine($"  f(x) = (e^x + x)^2 at x = {x,4}: f = {f,10:F4}, df/dx = {df,10:F4}, closed form 2(e^x + x)(e^x + 1) = {2 * (Math.Exp(x) + x) * (Math.Exp(x) + 1),10:F4}");
}
foreach (var x in new[] { -1.0, 0.0, 0.5, 2.0 })
{
    var (f, df) = SeedFunctions.MultiVariableChainRuleWithGradient(x);
    Console.WriteLine($"  f(x) = x^2(3x + 1) - sin(x^2) at x = {x,4}: f = {f,10:F4}, df/dx = {df,10:F4}, closed form 3x^2 + 2x(3x + 1 - cos(x^2)) = {3 * x * x + 2 * x * (3 * x + 1 - Math.Cos(x * x)),10:F4}");
}

Console.WriteLine();
Console.WriteLine("Seed 001 — logistic regression (x1 = 1.5, x2 = 2.5, w1 = -4, w2 = 3, b = -1, y = 1)");
var (loss, dw1, dw2, db) = SeedFunctions.LogisticLossWithGradient(w1: -4, w2: 3, b: -1, x1: 1.5, x2: 2.5, y: 1);
Console.WriteLine($"  yhat = {1 / (1 + Math.Exp(-(-4 * 1.5 + 3 * 2.5 - 1))):F4}");
Console.WriteLine($"  L = {loss:F4}");
Console.WriteLine($"  dL_dw1 = {dw1:F4}");
Console.WriteLine($"  dL_dw2 = {dw2:F4}");
Console.WriteLine($"  dL_db = {db:F4}");

Console.WriteLine();
Console.WriteLine("Seed 002 — a single ReLU neuron (x = [1, -2, 3], w = [-3, -1, 2], b = 1)");
var g = SeedFunctions.ReluNeuronWithGradient(1, -2, 3, -3, -1, 2, 1);
Console.WriteLine($"  y = {g.Value}");
Console.WriteLine($"  dx = [{g.dL_dx0}, {g.dL_dx1}, {g.dL_dx2}]");
Console.WriteLine($"  dw = [{g.dL_dw0}, {g.dL_dw1}, {g.dL_dw2}]");
Console.WriteLine($"  db = {g.dL_db}");

Console.WriteLine();
Console.WriteLine("To read the code GradGen generated: dotnet build samples/Seeds -p:EmitCompilerGeneratedFiles=true");
Console.WriteLine("and open samples/Seeds/obj/generated/GradGen.Generator/GradGen.Generator.GradientGenerator/.");

// A deep regression network: 1 → 32 → 32 → 32 → 1 with swish activations, fit to y = sin(3x) on [−1, 1].
// RegressionModel holds its layers as an array of Layer objects; its forward loops over them and calls Activations.Swish,
// whose derivative is a hand-written rule ([CustomPullback]); GradGen generates the backward loop over the layers.
// Writes its plots and weights under samples/DeepRegression/plots/.
// Run with --show-backward to print the generated code.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DeepRegression;
using GradGen;

if (args.Contains("--show-backward"))
{
    GeneratedCode.Print("DeepRegression.RegressionModel.Predict.g.cs");
    return;
}

const int epochs = 3001;
var (x, y) = Training.Data(points: 128);
var model = new RegressionModel([1, 32, 32, 32, 1], seed: 0);
var losses = new List<(int Epoch, double Value)>();
var loss = 0f;
TrainingProgress.Run("Training 1 → 32 → 32 → 32 → 1", epochs, every: 500, report => loss = Training.Train(model, x, y, epochs, rate: 0.005,
    report: (epoch, mse) =>
    {
        losses.Add((epoch, mse));
        report(epoch, $"mse {mse:E2}");
    },
    reportEvery: 10));

Console.WriteLine($"Mean squared error after {epochs - 1} epochs: {loss:E2}");
var prediction = model.Predict(x);
foreach (var i in new[] { 0, 32, 64, 96, 127 })
{
    Console.WriteLine($"  x = {x.Span[i],6:F3}   sin(3x) = {y.Span[i],6:F3}   network = {prediction.Span[i],6:F3}");
}

var folder = Plots.Folder();
model.Save(Path.Combine(folder, "regression.safetensors"));
Console.WriteLine($"Weights: {Path.Combine(folder, "regression.safetensors")} ({model.ParameterCount()} parameters)");
Console.WriteLine("Plots:");
Console.WriteLine("  " + Plots.Curves(Path.Combine(folder, "loss.png"), "sin(3x): mean squared error", "mse", [("training", losses)], logScale: true));
Console.WriteLine("  " + Plots.Fit(Path.Combine(folder, "fit.png"), "sin(3x) and the network's fit", x.Span.ToArray().Select(v => (double)v).ToArray(),
    y.Span.ToArray().Select(v => (double)v).ToArray(), prediction.Span.ToArray().Select(v => (double)v).ToArray()));

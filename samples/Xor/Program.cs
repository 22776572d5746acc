// Seed 000: a 2-3-1 sigmoid network learns XOR; its gradient is the backward GradGen generated for XorModel.Loss.
// Writes its plots and weights under samples/Xor/plots/. Run with the option --show-backward to print the generated code.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GradGen;
using Xor;

if (args.Contains("--show-backward"))
{
    GeneratedCode.Print("Xor.XorModel.Loss.g.cs");
    GeneratedCode.Print("Xor.XorModel.Predict.g.cs");
    return;
}

const int epochs = 10000;
const double learningRate = 0.1;
var losses = new List<(int Epoch, double Value)>();
XorModel model = null!;
TrainingProgress.Run("Training 2 → 3 → 1", epochs, every: 1000, report => model = XorModel.Train(epochs, learningRate, seed: 0,
    report: (epoch, loss) =>
    {
        losses.Add((epoch, loss));
        report(epoch, $"training error {loss:F6}");
    },
    reportEvery: 10));

var predictions = model.Predict(XorModel.Inputs);
Console.WriteLine($"After {epochs} epochs at learning rate {learningRate}:");
for (var i = 0; i < XorModel.Inputs.Rows; i++)
{
    var x = XorModel.Inputs.Row(i);
    Console.WriteLine($"  {x[0]} XOR {x[1]} = {XorModel.Targets[i, 0]}: predicted {predictions[i, 0]:F3} → {(predictions[i, 0] > 0.5 ? 1 : 0)}");
}

var folder = Plots.Folder();
model.Save(Path.Combine(folder, "xor.safetensors"));
var corners = Enumerable.Range(0, 4).ToArray();
Console.WriteLine($"Weights: {Path.Combine(folder, "xor.safetensors")}");
Console.WriteLine("Plots:");
Console.WriteLine("  " + Plots.Curves(Path.Combine(folder, "loss.png"), "XOR: training error", "error", [("training", losses)], logScale: true));
Console.WriteLine("  " + Plots.DecisionRegions(Path.Combine(folder, "regions.png"), "XOR: where the network says 1", grid =>
    {
        var points = new Matrix<double>(grid.GetLength(0), 2);
        for (var i = 0; i < points.Rows; i++) (points[i, 0], points[i, 1]) = (grid[i, 0], grid[i, 1]);
        var output = model.Predict(points);
        return Enumerable.Range(0, points.Rows).Select(i => output[i, 0] > 0.5 ? 1 : 0).ToArray();
    },
    corners.Select(i => XorModel.Inputs[i, 0]).ToArray(), corners.Select(i => XorModel.Inputs[i, 1]).ToArray(), corners.Select(i => (int)XorModel.Targets[i, 0]).ToArray(),
    (-0.5, 1.5), (-0.5, 1.5)));

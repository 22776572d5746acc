// The nnfs book's spiral classifier: 3 classes of 100 points, dense(2→128) → ReLU → dense(128→3) → softmax +
// cross-entropy, trained in float with the backward GradGen generated for SpiralNetwork.Loss.
// Writes its plots under samples/Spiral/plots/. Run with the option --show-backward to print the generated code.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GradGen;
using Spiral;

if (args.Contains("--show-backward"))
{
    GeneratedCode.Print("Spiral.SpiralNetwork.Loss.g.cs");
    return;
}

const int epochs = 10001;
var (x, labels) = SpiralData.Generate(samplesPerClass: 100, classes: 3, new Random(0));
var losses = new List<(int Epoch, double Value)>();
SpiralNetwork.Parameters network = null!;
TrainingProgress.Run("Training 2 → 128 → 3", epochs, every: 1000, report => network = Training.Train(x, labels, classes: 3, hidden: 128, epochs, seed: 0,
    report: (epoch, loss, accuracy) =>
    {
        losses.Add((epoch, loss));
        report(epoch, $"loss {loss:F3}  accuracy {accuracy:P1}");
    },
    reportEvery: 10));

Console.WriteLine($"Training accuracy after {epochs - 1} epochs: {SpiralNetwork.Accuracy(network, x, labels):P1} on {labels.Length} spiral points");

var folder = Plots.Folder();
Console.WriteLine("Plots:");
Console.WriteLine("  " + Plots.Curves(Path.Combine(folder, "loss.png"), "Spiral: cross-entropy", "loss", [("training", losses)], logScale: true));
Console.WriteLine("  " + Plots.DecisionRegions(Path.Combine(folder, "regions.png"), "Spiral: decision regions", grid =>
    {
        var points = new Matrix<float>(grid.GetLength(0), 2);
        for (var i = 0; i < points.Rows; i++) (points[i, 0], points[i, 1]) = ((float)grid[i, 0], (float)grid[i, 1]);
        var logits = SpiralNetwork.Logits(network, points);
        return Enumerable.Range(0, points.Rows).Select(i => System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(logits.Row(i))).ToArray();
    },
    Enumerable.Range(0, x.Rows).Select(i => (double)x[i, 0]).ToArray(), Enumerable.Range(0, x.Rows).Select(i => (double)x[i, 1]).ToArray(), labels,
    (-1.1, 1.1), (-1.1, 1.1)));

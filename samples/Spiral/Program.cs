// The nnfs book's spiral classifier: 3 classes of 100 points, dense(2→128) → ReLU → dense(128→3) → softmax +
// cross-entropy, a model class trained in float with the backward GradGen generated for SpiralModel.Loss, saved to
// safetensors (PyTorch reads it: see the README). Writes its weights and plots under samples/Spiral/plots/. Run with
// the option --show-backward to print the generated code.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using GradGen;
using Spiral;

if (args.Contains("--show-backward"))
{
    GeneratedCode.Print("Spiral.SpiralModel.Loss.g.cs");
    GeneratedCode.Print("Spiral.SpiralModel.Logits.g.cs");
    return;
}

const int epochs = 10001;
var (x, labels) = SpiralData.Generate(samplesPerClass: 100, classes: 3, new Random(0));
var losses = new List<(int Epoch, double Value)>();
SpiralModel model = null!;
TrainingProgress.Run("Training 2 → 128 → 3", epochs, every: 1000, report => model = Training.Train(x, labels, classes: 3, hidden: 128, epochs, seed: 0,
    report: (epoch, loss, accuracy) =>
    {
        losses.Add((epoch, loss));
        report(epoch, $"loss {loss:F3}  accuracy {accuracy:P1}");
    },
    reportEvery: 10));

Console.WriteLine($"Training accuracy after {epochs - 1} epochs: {model.Accuracy(x, labels):P1} on {labels.Length} spiral points");

// The weights, as PyTorch's world exchanges them: loading the file back gives the same model, to the bit.
var saved = Path.Combine(Plots.Folder(), "spiral.safetensors");
model.Save(saved);
var loaded = new SpiralModel(2, 128, 3, new Random(1));
loaded.LoadFrom(saved);
Console.WriteLine($"Saved {model.ParameterCount()} parameters ({string.Join(", ", model.NamedParameters().Select(p => $"{p.Name} {p.Value.Shape}"))}) to {saved}; loaded back: accuracy {loaded.Accuracy(x, labels):P1}");

var folder = Plots.Folder();
Console.WriteLine("Plots:");
Console.WriteLine("  " + Plots.Curves(Path.Combine(folder, "loss.png"), "Spiral: cross-entropy", "loss", [("training", losses)], logScale: true));
Console.WriteLine("  " + Plots.DecisionRegions(Path.Combine(folder, "regions.png"), "Spiral: decision regions", grid =>
    {
        var points = new Matrix<float>(grid.GetLength(0), 2);
        for (var i = 0; i < points.Rows; i++) (points[i, 0], points[i, 1]) = ((float)grid[i, 0], (float)grid[i, 1]);
        var logits = model.Logits(points);
        return Enumerable.Range(0, points.Rows).Select(i => System.Numerics.Tensors.TensorPrimitives.IndexOfMax<float>(logits.Row(i))).ToArray();
    },
    Enumerable.Range(0, x.Rows).Select(i => (double)x[i, 0]).ToArray(), Enumerable.Range(0, x.Rows).Select(i => (double)x[i, 1]).ToArray(), labels,
    (-1.1, 1.1), (-1.1, 1.1)));

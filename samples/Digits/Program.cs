// A real dataset: the UCI handwritten digits (DATA.md), 8×8 images of 10 digits, classified by a 64 → 64 → 10 network
// model whose gradient is the backward GradGen generated for DigitsModel.Loss (cross-entropy on logits, as PyTorch's),
// trained on shuffled mini-batches.
// Writes its plots under samples/Digits/plots/. Run with the option --show-backward to print the generated code.
using System;
using System.IO;
using System.Linq;
using Digits;

if (args.Contains("--show-backward"))
{
    GeneratedCode.Print("Digits.DigitsModel.Logits.g.cs");
    return;
}

var (x, labels) = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "digits.csv.gz"));
var (train, test) = DigitsData.Split(x, labels, testFraction: 0.2, seed: 0);
Console.WriteLine($"{labels.Length} digits: {train.Labels.Length} to train on, {test.Labels.Length} held out");

const int epochs = 60;
DigitsModel network = null!;
Training.History history = null!;
TrainingProgress.Run("Training 64 → 64 → 10", epochs, every: 10, report => (network, history) = Training.Train(train, test, hidden: 64, epochs, rate: 0.005, seed: 0, report: report));

Console.WriteLine($"Accuracy after {epochs} epochs: {network.Accuracy(train.X, train.Labels):P1} on the training digits, {network.Accuracy(test.X, test.Labels):P1} on the held-out ones");

var predictions = network.Predict(test.X);
var confusion = new double[DigitsData.Classes, DigitsData.Classes];
for (var i = 0; i < predictions.Length; i++) confusion[test.Labels[i], predictions[i]]++;
var folder = Plots.Folder();
Console.WriteLine("Plots:");
Console.WriteLine("  " + Plots.Curves(Path.Combine(folder, "loss.png"), "Cross-entropy on the training digits", "loss", [("training", history.Loss)], logScale: true));
Console.WriteLine("  " + Plots.Curves(Path.Combine(folder, "accuracy.png"), "Accuracy", "fraction right", [("training", history.TrainAccuracy), ("held out", history.TestAccuracy)]));
Console.WriteLine("  " + Plots.Heatmap(Path.Combine(folder, "confusion.png"), "Held-out digits: true (y) × predicted (x)", confusion));

// The nnfs book's spiral classifier: 3 classes of 100 points, dense(2→128) → ReLU → dense(128→3) → softmax +
// cross-entropy, trained in float with the backward GradGen generated for SpiralNetwork.Loss.
// Run with the option --show-backward to print that generated code.
using System;
using System.Linq;
using Spiral;

if (args.Contains("--show-backward"))
{
    GeneratedCode.Print("Spiral.SpiralNetwork.Loss.g.cs");
    return;
}

const int epochs = 10001;
var (x, labels) = SpiralData.Generate(samplesPerClass: 100, classes: 3, new Random(0));
var network = Training.Train(x, labels, classes: 3, hidden: 128, epochs, seed: 0,
    report: (epoch, loss, accuracy) => Console.WriteLine($"epoch {epoch,5}  loss {loss:F3}  accuracy {accuracy:P1}"));

Console.WriteLine($"Training accuracy after {epochs - 1} epochs: {SpiralNetwork.Accuracy(network, x, labels):P1} on {labels.Length} spiral points");

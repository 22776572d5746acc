// The nnfs book's spiral classifier: 3 classes of 100 points, dense(2→128) → ReLU → dense(128→3) → softmax +
// cross-entropy, trained in float with the backward GradGen generated for SpiralNetwork.Loss.
// Run with the option --show-backward to print that generated code.
using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Spiral;

if (args.Contains("--show-backward"))
{
    var file = Path.Combine(ProjectDirectory(), "obj", "generated", "GradGen.Generator", "GradGen.Generator.GradientGenerator", "Spiral.SpiralNetwork.Loss.g.cs");
    Console.WriteLine("// " + file);
    Console.WriteLine(File.ReadAllText(file));
    return;
}

const int epochs = 10001;
var (x, labels) = SpiralData.Generate(samplesPerClass: 100, classes: 3, new Random(0));
var network = Training.Train(x, labels, classes: 3, hidden: 128, epochs, seed: 0,
    report: (epoch, loss, accuracy) => Console.WriteLine($"epoch {epoch,5}  loss {loss:F3}  accuracy {accuracy:P1}"));

Console.WriteLine($"Training accuracy after {epochs - 1} epochs: {SpiralNetwork.Accuracy(network, x, labels):P1} on {labels.Length} spiral points");

static string ProjectDirectory([CallerFilePath] string program = "") => Path.GetDirectoryName(program)!;

// A deep regression network: 1 → 32 → 32 → 32 → 1 with swish activations, fit to y = sin(3x) on [−1, 1].
// DeepNetwork.Loss loops over its layers and calls Activations.Swish, whose derivative is a hand-written rule
// ([CustomPullback]); GradGen generates the backward loop over the layers. Run with --show-backward to print it.
using System;
using System.Linq;
using DeepRegression;

if (args.Contains("--show-backward"))
{
    GeneratedCode.Print("DeepRegression.DeepNetwork.Loss.g.cs");
    return;
}

const int epochs = 3001;
var (x, y) = Training.Data(points: 128);
var (weights, biases) = Training.Initialize([1, 32, 32, 32, 1], seed: 0);
var loss = Training.Train(weights, biases, x, y, epochs, rate: 0.005f, report: (epoch, loss) => Console.WriteLine($"epoch {epoch,5}  mse {loss:E2}"));

Console.WriteLine($"Mean squared error after {epochs - 1} epochs: {loss:E2}");
var prediction = DeepNetwork.Predict(weights, biases, x);
foreach (var i in new[] { 0, 32, 64, 96, 127 })
{
    Console.WriteLine($"  x = {x.Span[i],6:F3}   sin(3x) = {y.Span[i],6:F3}   network = {prediction.Span[i],6:F3}");
}

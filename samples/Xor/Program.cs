// Seed 000: a 2-3-1 sigmoid network learns XOR; its gradient is the backward GradGen generated for XorNetwork.Loss.
// Run with the option --show-backward to print that generated code.
using System;
using System.Linq;
using Xor;

if (args.Contains("--show-backward"))
{
    GeneratedCode.Print("Xor.XorNetwork.Loss.g.cs");
    return;
}

const int epochs = 10000;
const double learningRate = 0.1;
var (w1, w2) = XorNetwork.Train(epochs, learningRate, seed: 0, report: (epoch, loss) => Console.WriteLine($"Epoch {epoch,5}> Training error: {loss:F6}"));

var predictions = XorNetwork.Predict(w1, w2, XorNetwork.Inputs);
Console.WriteLine($"After {epochs} epochs at learning rate {learningRate}:");
for (var i = 0; i < XorNetwork.Inputs.Rows; i++)
{
    var x = XorNetwork.Inputs.Row(i);
    Console.WriteLine($"  {x[0]} XOR {x[1]} = {XorNetwork.Targets[i, 0]}: predicted {predictions[i, 0]:F3} → {(predictions[i, 0] > 0.5 ? 1 : 0)}");
}

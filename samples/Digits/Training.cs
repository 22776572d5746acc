using System;
using System.Collections.Generic;
using System.Linq;
using GradGen;

namespace Digits;

/// <summary>Full-batch Adam on the training rows, with the test accuracy watched as it goes.</summary>
public static class Training
{
    public sealed record Network(Matrix<float> W1, Matrix<float> B1, Matrix<float> W2, Matrix<float> B2)
    {
        public int[] Predict(Matrix<float> x) => DigitsNetwork.Predict(W1, B1, W2, B2, x);

        public double Accuracy(Matrix<float> x, int[] labels) => Predict(x).Zip(labels).Count(p => p.First == p.Second) / (double)labels.Length;
    }

    public sealed record History(List<(int Epoch, double Value)> Loss, List<(int Epoch, double Value)> TrainAccuracy, List<(int Epoch, double Value)> TestAccuracy);

    public static (Network Network, History History) Train((Matrix<float> X, int[] Labels) train, (Matrix<float> X, int[] Labels) test,
        int hidden, int epochs, float rate, int seed, Action<int, string>? report = null)
    {
        var random = new Random(seed);
        var network = new Network(He(random, DigitsData.Pixels, hidden), new Matrix<float>(1, hidden), He(random, hidden, DigitsData.Classes), new Matrix<float>(1, DigitsData.Classes));
        var adam = new[] { new Adam<float>(network.W1), new Adam<float>(network.B1), new Adam<float>(network.W2), new Adam<float>(network.B2) };
        var history = new History([], [], []);
        var workspace = new Workspace();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var (loss, dw1, db1, dw2, db2) = DigitsNetwork.LossWithGradient(network.W1, network.B1, network.W2, network.B2, train.X, train.Labels, workspace);
            history.Loss.Add((epoch, loss));
            if (epoch % 10 == 0 || epoch == epochs - 1)
            {
                history.TrainAccuracy.Add((epoch, network.Accuracy(train.X, train.Labels)));
                history.TestAccuracy.Add((epoch, network.Accuracy(test.X, test.Labels)));
            }
            report?.Invoke(epoch, $"loss {loss:F4}  test accuracy {history.TestAccuracy[^1].Value:P1}");
            adam[0].Update(network.W1, dw1, rate);
            adam[1].Update(network.B1, db1, rate);
            adam[2].Update(network.W2, dw2, rate);
            adam[3].Update(network.B2, db2, rate);
        }
        return (network, history);
    }

    /// <summary>He (Kaiming) normal initialization for a ReLU layer: N(0, 2/fan-in).</summary>
    private static Matrix<float> He(Random random, int rows, int columns)
    {
        var m = new Matrix<float>(rows, columns);
        var scale = Math.Sqrt(2.0 / rows);
        for (var i = 0; i < m.Length; i++)
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            m.Span[i] = (float)(scale * gaussian);
        }
        return m;
    }
}

using System;
using System.Collections.Generic;
using GradGen;

namespace Digits;

/// <summary>Mini-batch Adam on the training rows, with the test accuracy watched as it goes.</summary>
public static class Training
{
    public sealed record History(List<(int Epoch, double Value)> Loss, List<(int Epoch, double Value)> TrainAccuracy, List<(int Epoch, double Value)> TestAccuracy);

    /// <summary>Adam over shuffled mini-batches of <paramref name="batchSize"/> rows (every batch the same size, so that a step allocates nothing).</summary>
    public static (DigitsModel Model, History History) Train((Matrix<float> X, int[] Labels) train, (Matrix<float> X, int[] Labels) test,
        int hidden, int epochs, double rate, int seed, int batchSize = 128, Action<int, string>? report = null)
    {
        var random = new Random(seed);
        var model = new DigitsModel(hidden, random);
        var optimizer = new Adam<float>(rate, epsilon: 1e-7);
        var batches = new MiniBatches<float>(train.X, train.Labels, batchSize, random, dropLast: true);
        var history = new History([], [], []);
        var workspace = new Workspace();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var loss = 0.0;
            foreach (var batch in batches)
            {
                var (batchLoss, gradient) = model.LossWithGradient(batch.X, batch.Labels!, workspace);
                optimizer.Step(model, gradient);
                loss += batchLoss / batches.Count;
            }
            history.Loss.Add((epoch, loss));
            if (epoch % 10 == 0 || epoch == epochs - 1)
            {
                history.TrainAccuracy.Add((epoch, model.Accuracy(train.X, train.Labels)));
                history.TestAccuracy.Add((epoch, model.Accuracy(test.X, test.Labels)));
            }
            report?.Invoke(epoch, $"loss {loss:F4}  test accuracy {history.TestAccuracy[^1].Value:P1}");
        }
        return (model, history);
    }
}

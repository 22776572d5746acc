using System;
using GradGen;

namespace Spiral;

/// <summary>Training the spiral model with the gradient GradGen generated for <see cref="SpiralModel.Loss"/>.</summary>
public static class Training
{
    /// <summary>Full-batch Adam (the nnfs book's best optimizer for this data: learning rate 0.05, decay 5e-7, ε 1e-7).</summary>
    public static SpiralModel Train(Matrix<float> x, int[] labels, int classes, int hidden, int epochs, int seed,
        Action<int, float, double>? report = null, int reportEvery = 1000)
    {
        var model = new SpiralModel(x.Columns, hidden, classes, new Random(seed));
        var optimizer = new Adam<float>(epsilon: 1e-7) { Schedule = LearningRateSchedule.InverseTime(0.05, decay: 5e-7) };
        // The workspace keeps every matrix of a step (and the gradient) for the next one: after the first epoch, an epoch allocates nothing.
        var workspace = new Workspace();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            var (loss, gradient) = model.LossWithGradient(x, labels, workspace);
            if (epoch % reportEvery == 0) report?.Invoke(epoch, loss, model.Accuracy(x, labels));
            optimizer.Step(model, gradient);
        }
        return model;
    }
}

using System;

namespace GradGen;

/// <summary>
/// A learning rate per step, for <see cref="Optimizer{T}.Schedule"/>. The schedules follow PyTorch's
/// (<c>StepLR</c>, <c>ExponentialLR</c>), Keras's <c>InverseTimeDecay</c> and Hugging Face's <c>get_cosine_schedule_with_warmup</c>, stepped once per
/// optimizer step.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate of step <paramref name="step"/> (from 0).</summary>
    public abstract double Rate(int step);

    /// <summary>η₀·γ^⌊step / every⌋ (PyTorch's StepLR).</summary>
    public static LearningRateSchedule StepDecay(double initial, int every, double gamma = 0.1) =>
        every > 0 ? new Function(step => initial * Math.Pow(gamma, step / every)) : throw new ArgumentOutOfRangeException(nameof(every), every, "A decay period is at least one step.");

    /// <summary>η₀·γ^step (PyTorch's ExponentialLR).</summary>
    public static LearningRateSchedule Exponential(double initial, double gamma) => new Function(step => initial * Math.Pow(gamma, step));

    /// <summary>η₀ / (1 + decay·step) (Keras's InverseTimeDecay with one-step periods; the nnfs book's "decay").</summary>
    public static LearningRateSchedule InverseTime(double initial, double decay) => new Function(step => initial / (1 + decay * step));

    /// <summary>
    /// A linear warm-up from 0 to <paramref name="peak"/> over <paramref name="warmupSteps"/>, then a half cosine down to
    /// <paramref name="minimum"/> at <paramref name="totalSteps"/> (and after): Hugging Face's
    /// <c>get_cosine_schedule_with_warmup</c> when the minimum is 0.
    /// </summary>
    public static LearningRateSchedule CosineWithWarmup(double peak, int warmupSteps, int totalSteps, double minimum = 0)
    {
        if (warmupSteps < 0 || totalSteps <= warmupSteps) throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"A cosine schedule needs 0 ≤ warmupSteps ({warmupSteps}) < totalSteps.");
        return new Function(step =>
        {
            if (step < warmupSteps) return peak * step / warmupSteps;
            var progress = Math.Min(1.0, (step - warmupSteps) / (double)(totalSteps - warmupSteps));
            return minimum + (peak - minimum) * 0.5 * (1 + Math.Cos(Math.PI * progress));
        });
    }

    private sealed class Function(Func<int, double> rate) : LearningRateSchedule
    {
        public override double Rate(int step) => step >= 0 ? rate(step) : throw new ArgumentOutOfRangeException(nameof(step), step, "Steps count from 0.");
    }
}

using System;
using System.Collections.Generic;
using System.Numerics;

namespace GradGen;

/// <summary>
/// An optimizer over a whole model: <see cref="Step"/> moves every parameter along its gradient, in place, keeping
/// per parameter whatever state the method needs (moments, velocities). Its updates follow PyTorch's
/// <c>torch.optim</c> definitions, named on each optimizer; a steady-state step allocates nothing.
/// </summary>
/// <example>
/// <code>
/// var optimizer = new Adam&lt;float&gt;(learningRate: 1e-3);
/// var (loss, gradient) = model.LossWithGradient(x, labels, workspace);
/// optimizer.Step(model, gradient);
/// </code>
/// </example>
public abstract class Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<T[]> _state = [];
    private readonly int _slots;

    /// <param name="learningRate">The step size; a <see cref="Schedule"/>, when given, sets it before each step.</param>
    /// <param name="slots">How many numbers of state the method keeps per parameter number (Adam: 2, its moments).</param>
    private protected Optimizer(double learningRate, int slots)
    {
        if (!(learningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "A learning rate is a number ≥ 0.");
        LearningRate = learningRate;
        _slots = slots;
    }

    /// <summary>The step size of the next step.</summary>
    public double LearningRate { get; set; }

    /// <summary>When set, the learning rate of step k (from 0) is <c>Schedule.Rate(k)</c>, as a PyTorch scheduler stepped after each optimizer step gives it.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>How many steps were taken.</summary>
    public int Steps { get; private set; }

    /// <summary>
    /// Moves each parameter of <paramref name="model"/> one step along its part of <paramref name="gradient"/> (what the
    /// model's generated <c>…WithGradient</c> returned), in place.
    /// </summary>
    public void Step<TModel, TGradient>(TModel model, TGradient gradient)
        where TModel : IModel<T, TGradient>
        where TGradient : IModel<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gradient);
        if (Schedule is { } schedule) LearningRate = schedule.Rate(Steps);
        Steps++;
        var updater = new Updater(this, T.CreateChecked(LearningRate));
        model.Visit(gradient, ref updater);
        if (_slots > 0 && updater.Index != _state.Count)
        {
            throw new InvalidOperationException($"This optimizer's state is for {_state.Count} parameters and the model has {updater.Index}: use one optimizer per model.");
        }
    }

    /// <summary>Updates one parameter: <paramref name="value"/> in place, from <paramref name="gradient"/> and its <paramref name="state"/>.</summary>
    /// <param name="state">The parameter's state, <c>slots</c> spans as long as the parameter, zero before its first step.</param>
    /// <param name="step">The step's number, from 1 (Adam's bias correction).</param>
    private protected abstract void Update(Span<T> value, ReadOnlySpan<T> gradient, State state, T rate, int step);

    /// <summary>A parameter's state: slot k is the k-th span as long as the parameter.</summary>
    private protected readonly ref struct State(T[] numbers, int length)
    {
        public Span<T> this[int slot] => numbers.AsSpan(slot * length, length);
    }

    private State StateOf(int index, string name, int length)
    {
        if (index == _state.Count) _state.Add(new T[_slots * length]);
        var numbers = _state[index];
        if (numbers.Length != _slots * length)
        {
            throw new InvalidOperationException($"This optimizer's state for parameter {index} ('{name}') has {numbers.Length / Math.Max(_slots, 1)} numbers and the parameter {length}: use one optimizer per model.");
        }
        return new State(numbers, length);
    }

    private struct Updater(Optimizer<T> optimizer, T rate) : IParameterVisitor<T>
    {
        public int Index;

        public readonly bool NeedsNames => false;

        public void Visit(Parameter<T> parameter)
        {
            var state = optimizer._slots == 0 ? default : optimizer.StateOf(Index, parameter.Name, parameter.Value.Length);
            optimizer.Update(parameter.Value, parameter.Gradient, state, rate, optimizer.Steps);
            Index++;
        }
    }
}

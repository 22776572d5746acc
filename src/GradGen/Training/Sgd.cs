using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace GradGen;

/// <summary>
/// Stochastic gradient descent, as PyTorch's <c>torch.optim.SGD</c> defines it (dampening 0):
/// g ← ∇ + λθ; with momentum μ, b ← μb + g (b = g on the first step) and g ← g + μb (Nesterov) or g ← b; θ ← θ − η·g.
/// </summary>
public sealed class Sgd<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _momentum, _weightDecay;
    private readonly bool _nesterov;

    /// <param name="momentum">μ: 0 for plain gradient descent.</param>
    /// <param name="nesterov">Nesterov momentum (needs μ &gt; 0).</param>
    /// <param name="weightDecay">λ, the L2 penalty added to the gradient.</param>
    public Sgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : base(learningRate, momentum == 0 ? 0 : 1)
    {
        if (!(momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum is a number ≥ 0.");
        if (nesterov && momentum == 0) throw new ArgumentException("Nesterov momentum needs a momentum > 0.", nameof(nesterov));
        (_momentum, _weightDecay, _nesterov) = (T.CreateChecked(momentum), T.CreateChecked(weightDecay), nesterov);
    }

    private protected override void Update(Span<T> value, ReadOnlySpan<T> gradient, State state, T rate, int step)
    {
        if (_momentum == T.Zero)
        {
            // value − rate·(gradient + decay·value), as value·(1 − rate·decay) − rate·gradient: vectorized passes, the
            // second shared with the crew on large parameters.
            if (_weightDecay != T.Zero) TensorPrimitives.Multiply(value, T.One - rate * _weightDecay, value);
            Kernels.SharedSpans.AddScaled(gradient, -rate, value);
            return;
        }
        var velocity = state[0];
        for (var i = 0; i < value.Length; i++)
        {
            var g = gradient[i] + _weightDecay * value[i];
            velocity[i] = step == 1 ? g : _momentum * velocity[i] + g;
            g = _nesterov ? g + _momentum * velocity[i] : velocity[i];
            value[i] -= rate * g;
        }
    }
}

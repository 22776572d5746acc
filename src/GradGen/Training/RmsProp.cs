using System;
using System.Numerics;

namespace GradGen;

/// <summary>
/// RMSProp (Hinton), as PyTorch's <c>torch.optim.RMSprop</c> defines it (not centered): g ← ∇ + λθ;
/// v ← αv + (1−α)g²; with momentum μ, b ← μb + g/(√v + ε) and θ ← θ − ηb, else θ ← θ − η·g/(√v + ε).
/// </summary>
public sealed class RmsProp<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _alpha, _epsilon, _momentum, _weightDecay;

    /// <param name="alpha">α, the decay of the running mean of squared gradients.</param>
    public RmsProp(double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8, double momentum = 0, double weightDecay = 0)
        : base(learningRate, slots: 2)
    {
        if (!(alpha is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α is in [0, 1).");
        (_alpha, _epsilon, _momentum, _weightDecay) = (T.CreateChecked(alpha), T.CreateChecked(epsilon), T.CreateChecked(momentum), T.CreateChecked(weightDecay));
    }

    private protected override void Update(Span<T> value, ReadOnlySpan<T> gradient, State state, T rate, int step)
    {
        Span<T> v = state[0], b = state[1];
        for (var i = 0; i < value.Length; i++)
        {
            var g = gradient[i] + _weightDecay * value[i];
            v[i] = _alpha * v[i] + (T.One - _alpha) * g * g;
            var scaled = g / (T.Sqrt(v[i]) + _epsilon);
            if (_momentum != T.Zero)
            {
                b[i] = _momentum * b[i] + scaled;
                scaled = b[i];
            }
            value[i] -= rate * scaled;
        }
    }
}

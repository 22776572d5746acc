using System;
using System.Numerics;

namespace GradGen;

/// <summary>
/// Adam (Kingma and Ba), as PyTorch's <c>torch.optim.Adam</c> defines it: g ← ∇ + λθ (L2 weight decay);
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − η·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
/// For decoupled weight decay use <see cref="AdamW{T}"/>.
/// </summary>
public class Adam<T> : Optimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _beta1, _beta2, _epsilon, _l2;

    /// <param name="beta1">β₁, the decay of the first moment (mean) estimate.</param>
    /// <param name="beta2">β₂, the decay of the second moment (uncentered variance) estimate.</param>
    /// <param name="epsilon">ε, added to the root of the second moment.</param>
    /// <param name="weightDecay">λ, the L2 penalty added to the gradient.</param>
    public Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : base(learningRate, slots: 2)
    {
        if (!(beta1 is >= 0 and < 1) || !(beta2 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), "β₁ and β₂ are in [0, 1).");
        (_beta1, _beta2, _epsilon, _l2) = (T.CreateChecked(beta1), T.CreateChecked(beta2), T.CreateChecked(epsilon), T.CreateChecked(weightDecay));
    }

    /// <summary>AdamW's decoupled decay: θ ← θ(1 − ηλ) before the step; none here.</summary>
    private protected virtual T Decay(T rate) => T.One;

    private protected override void Update(Span<T> value, ReadOnlySpan<T> gradient, State state, T rate, int step)
    {
        Span<T> m = state[0], v = state[1];
        var correction1 = T.One - T.Pow(_beta1, T.CreateChecked(step));
        var correction2 = T.One - T.Pow(_beta2, T.CreateChecked(step));
        var decay = Decay(rate);
        for (var i = 0; i < value.Length; i++)
        {
            var g = gradient[i] + _l2 * value[i];
            m[i] = _beta1 * m[i] + (T.One - _beta1) * g;
            v[i] = _beta2 * v[i] + (T.One - _beta2) * g * g;
            value[i] = value[i] * decay - rate * (m[i] / correction1) / (T.Sqrt(v[i] / correction2) + _epsilon);
        }
    }
}

/// <summary>
/// AdamW (Loshchilov and Hutter), as PyTorch's <c>torch.optim.AdamW</c> defines it: the weights decay apart from the
/// gradient, θ ← θ(1 − ηλ), then the <see cref="Adam{T}"/> step without L2.
/// </summary>
public sealed class AdamW<T> : Adam<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _weightDecay;

    /// <param name="weightDecay">λ: PyTorch's default is 0.01.</param>
    public AdamW(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
        : base(learningRate, beta1, beta2, epsilon) => _weightDecay = T.CreateChecked(weightDecay);

    private protected override T Decay(T rate) => T.One - rate * _weightDecay;
}

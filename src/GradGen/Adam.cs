using System;
using System.Numerics;

namespace GradGen;

/// <summary>
/// The Adam optimizer (Kingma and Ba) for one parameter matrix: it keeps the running moment estimates, and
/// <see cref="Update"/> moves the parameters against a gradient, in place.
/// </summary>
public sealed class Adam<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _beta1, _beta2, _epsilon;
    private readonly Matrix<T> _m, _v;
    private int _t;

    /// <param name="like">A matrix of the parameters' shape.</param>
    /// <param name="beta1">The decay of the first moment (mean) estimate.</param>
    /// <param name="beta2">The decay of the second moment (uncentered variance) estimate.</param>
    /// <param name="epsilon">Added to the root of the second moment, against division by zero.</param>
    public Adam(Matrix<T> like, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-7)
    {
        (_beta1, _beta2, _epsilon) = (T.CreateChecked(beta1), T.CreateChecked(beta2), T.CreateChecked(epsilon));
        (_m, _v) = (like.ZerosLike(), like.ZerosLike());
    }

    /// <summary>
    /// Moves the parameters <paramref name="w"/> one step along the gradient <paramref name="g"/> at learning rate
    /// <paramref name="rate"/>, in place and in one pass: no allocation, so a training step can be allocation-free.
    /// </summary>
    public void Update(Matrix<T> w, Matrix<T> g, T rate)
    {
        Matrix<T>.RequireSameShape("Adam.Update", w, g);
        Matrix<T>.RequireSameShape("Adam.Update", w, _m);
        _t++;
        var correction1 = T.One - T.Pow(_beta1, T.CreateChecked(_t));
        var correction2 = T.One - T.Pow(_beta2, T.CreateChecked(_t));
        Span<T> ws = w.Span, gs = g.Span, ms = _m.Span, vs = _v.Span;
        for (var i = 0; i < ws.Length; i++)
        {
            ms[i] = _beta1 * ms[i] + (T.One - _beta1) * gs[i];
            vs[i] = _beta2 * vs[i] + (T.One - _beta2) * gs[i] * gs[i];
            ws[i] -= rate * (ms[i] / correction1) / (T.Sqrt(vs[i] / correction2) + _epsilon);
        }
    }
}

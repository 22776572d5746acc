using System.Numerics;

namespace GradGen;

/// <summary>
/// The Adam optimizer (Kingma and Ba) for one parameter matrix: it keeps the running moment estimates, and
/// <see cref="Step"/> returns the parameters moved against a gradient.
/// </summary>
public sealed class Adam<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _beta1, _beta2, _epsilon;
    private Matrix<T> _m, _v;
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

    /// <summary>The parameters <paramref name="w"/> after one step along the gradient <paramref name="g"/> at learning rate <paramref name="rate"/>.</summary>
    public Matrix<T> Step(Matrix<T> w, Matrix<T> g, T rate)
    {
        _t++;
        _m = _beta1 * _m + (T.One - _beta1) * g;
        _v = _beta2 * _v + (T.One - _beta2) * g * g;
        var mHat = _m / (T.One - T.Pow(_beta1, T.CreateChecked(_t)));
        var vHat = _v / (T.One - T.Pow(_beta2, T.CreateChecked(_t)));
        return w - rate * mHat / (Matrix.Sqrt(vHat) + _epsilon);
    }
}

using System;
using System.Numerics;

namespace GradGen;

/// <summary>
/// Initial weights for a layer's <c>fanIn</c>×<c>fanOut</c> matrix (the shape <c>x·W</c> multiplies by), from a seeded
/// <see cref="Random"/> so that a run is repeatable. The bounds and deviations are PyTorch's <c>torch.nn.init</c>
/// ones with gain 1 (Glorot) and the ReLU gain √2 (He).
/// </summary>
public static class Initializers
{
    /// <summary>Glorot/Xavier uniform: U(−a, a), a = √(6 / (fanIn + fanOut)).</summary>
    public static Matrix<T> GlorotUniform<T>(int fanIn, int fanOut, Random random) where T : unmanaged, IFloatingPointIeee754<T> =>
        Uniform<T>(fanIn, fanOut, Math.Sqrt(6.0 / (fanIn + fanOut)), random);

    /// <summary>Glorot/Xavier normal: N(0, σ²), σ = √(2 / (fanIn + fanOut)).</summary>
    public static Matrix<T> GlorotNormal<T>(int fanIn, int fanOut, Random random) where T : unmanaged, IFloatingPointIeee754<T> =>
        Normal<T>(fanIn, fanOut, Math.Sqrt(2.0 / (fanIn + fanOut)), random);

    /// <summary>He/Kaiming uniform (for ReLU layers): U(−a, a), a = √(6 / fanIn).</summary>
    public static Matrix<T> HeUniform<T>(int fanIn, int fanOut, Random random) where T : unmanaged, IFloatingPointIeee754<T> =>
        Uniform<T>(fanIn, fanOut, Math.Sqrt(6.0 / fanIn), random);

    /// <summary>He/Kaiming normal (for ReLU layers): N(0, σ²), σ = √(2 / fanIn).</summary>
    public static Matrix<T> HeNormal<T>(int fanIn, int fanOut, Random random) where T : unmanaged, IFloatingPointIeee754<T> =>
        Normal<T>(fanIn, fanOut, Math.Sqrt(2.0 / fanIn), random);

    /// <summary>A <paramref name="rows"/>×<paramref name="columns"/> matrix of U(−<paramref name="bound"/>, <paramref name="bound"/>) numbers.</summary>
    public static Matrix<T> Uniform<T>(int rows, int columns, double bound, Random random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        var m = new Matrix<T>(rows, columns);
        var span = m.Span;
        for (var i = 0; i < span.Length; i++) span[i] = T.CreateChecked(bound * (2 * random.NextDouble() - 1));
        return m;
    }

    /// <summary>A <paramref name="rows"/>×<paramref name="columns"/> matrix of N(0, <paramref name="deviation"/>²) numbers (Box–Muller).</summary>
    public static Matrix<T> Normal<T>(int rows, int columns, double deviation, Random random) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        var m = new Matrix<T>(rows, columns);
        var span = m.Span;
        for (var i = 0; i < span.Length; i += 2)
        {
            var radius = deviation * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            var angle = 2 * Math.PI * random.NextDouble();
            span[i] = T.CreateChecked(radius * Math.Cos(angle));
            if (i + 1 < span.Length) span[i + 1] = T.CreateChecked(radius * Math.Sin(angle));
        }
        return m;
    }
}

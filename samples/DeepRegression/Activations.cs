using System;
using GradGen;

namespace DeepRegression;

/// <summary>An activation GradGen cannot read (it loops over the elements), with its derivative written by hand.</summary>
public static class Activations
{
    /// <summary>swish(z) = z·σ(z) (also called SiLU), in one pass over the elements.</summary>
    [CustomPullback(nameof(SwishPullback))]
    public static Matrix<float> Swish(Matrix<float> z)
    {
        var result = z.ZerosLike();
        Span<float> input = z.Span, output = result.Span;
        for (var i = 0; i < input.Length; i++) output[i] = input[i] / (1 + MathF.Exp(-input[i]));
        return result;
    }

    /// <summary>
    /// The rule: swish'(z) = σ(z)·(1 + z·(1 − σ(z))), computed in the same pass as the value. Its matrices come from
    /// the caller's workspace (new ones when it is null). Like every pullback it adds to the adjoint by making a new
    /// matrix (<c>Matrix&lt;float&gt;.Add</c>) rather than writing into it: other adjoints may share it.
    /// </summary>
    public static Matrix<float> SwishPullback(Matrix<float> z, Matrix<float> dL_dresult, ref Matrix<float> dL_dz, Workspace? workspace)
    {
        var result = Matrix.ZerosLike(z, workspace);
        var gradient = Matrix.ZerosLike(z, workspace);
        Span<float> input = z.Span, output = result.Span, upstream = dL_dresult.Span, local = gradient.Span;
        for (var i = 0; i < input.Length; i++)
        {
            var sigmoid = 1 / (1 + MathF.Exp(-input[i]));
            output[i] = input[i] * sigmoid;
            local[i] = upstream[i] * sigmoid * (1 + input[i] * (1 - sigmoid));
        }
        dL_dz = Matrix<float>.Add(dL_dz, gradient, workspace);
        return result;
    }
}

using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GradGen.Generator.Expressions;
using GradGen.Generator.Model;

namespace GradGen.Generator;

/// <summary>
/// Phase 4, for the pullback's forward: a layer's sum and activation as one call. Where the forward computes
/// <c>s = a + b</c> over matrices and right after it <c>f(s)</c> (a sigmoid, tanh, ReLU or softmax), and nothing else
/// reads s (the activation's backward reads its result, and the sum's hands its adjoint on), the two steps become the
/// runtime's fused kernel, <c>Matrix.SigmoidOfSum(a, b)</c>: the same values, one pass over the rows instead of two,
/// and no matrix of sums. Straight-line code only, where every read of s is a step's value or a contribution.
/// </summary>
internal static class ForwardFusion
{
    private static readonly Dictionary<string, string> s_fused = new()
    {
        ["global::GradGen.Matrix.Sigmoid"] = "global::GradGen.Matrix.SigmoidOfSum",
        ["global::GradGen.Matrix.Tanh"] = "global::GradGen.Matrix.TanhOfSum",
        ["global::GradGen.Matrix.Relu"] = "global::GradGen.Matrix.ReluOfSum",
        ["global::GradGen.Matrix.Softmax"] = "global::GradGen.Matrix.SoftmaxOfSum",
    };

    /// <summary>The gradient with each fusable sum folded into its activation in the forward.</summary>
    public static Gradient Fuse(Gradient gradient)
    {
        if (!gradient.Forward.All(node => node is ForwardStep) || !gradient.Steps.All(node => node is BackwardStep)) return gradient;
        var steps = gradient.Forward.Cast<ForwardStep>().ToList();
        var matrices = new HashSet<string>(gradient.Method.Parameters.Where(p => p.Type.IsMatrix()).Select(p => p.Name)
            .Concat(steps.Where(s => s.Type.IsMatrix()).Select(s => s.Target)));
        var reads = steps.SelectMany(s => s.Value.Variables())
            .Concat(gradient.Steps.Cast<BackwardStep>().SelectMany(s => s.Accumulations).SelectMany(a => a.Value.Variables().Concat(a.At?.Variables() ?? [])))
            .Concat(Expr.Of(gradient.Method.Result).Variables())
            .GroupBy(name => name).ToDictionary(g => g.Key, g => g.Count());

        var fused = new List<ForwardNode>();
        for (var i = 0; i < steps.Count; i++)
        {
            if (i + 1 < steps.Count && FusedCall(steps[i], steps[i + 1], matrices, reads) is { } call)
            {
                fused.Add(steps[i + 1] with { Value = call });
                i++;
            }
            else fused.Add(steps[i]);
        }
        return fused.Count == steps.Count ? gradient : gradient with { Forward = fused };
    }

    /// <summary><c>f(a, b)</c> for <c>s = a + b; y = f(s)</c>, a and b matrices and s read by f alone; null otherwise.</summary>
    private static Call? FusedCall(ForwardStep sum, ForwardStep activation, HashSet<string> matrices, Dictionary<string, int> reads)
    {
        if (sum.Value is not Binary { Op: "+", Left: Variable a, Right: Variable b } || !sum.Type.IsMatrix() || !matrices.Contains(a.Name) || !matrices.Contains(b.Name)) return null;
        if (activation.Value is not Call { Receiver: null, Args.Length: 1 } call || call.Args[0] is not Variable s || s.Name != sum.Target) return null;
        if (!s_fused.TryGetValue(call.Function, out var function) || reads[sum.Target] != 1) return null;
        return call with { Function = function, Args = ImmutableArray.Create<Expr>(a, b) };
    }
}

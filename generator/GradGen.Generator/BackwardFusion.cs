using System.Collections.Generic;
using System.Linq;
using GradGen.Generator.Expressions;
using GradGen.Generator.Model;

namespace GradGen.Generator;

/// <summary>
/// Phase 4, for the pullback's backward: an activation's backward and the gradient of the bias added before it in one
/// pass. Where the backward declares <c>d = SigmoidBackward(g, y)</c> (or <c>TanhBackward</c>, <c>MaskWherePositive</c>,
/// the output layer's <c>SoftmaxCrossEntropyBackward(s, p, labels)</c>), assigns d nowhere else, and later adds
/// <c>SumToShapeOf(d, b)</c> to the adjoint of b, a forward value, the call also makes that sum
/// (<c>Matrix.SigmoidBackward(g, y, b, out summed)</c>: column sums of each row while it is in the cache, added in the
/// order of <c>ColumnSums</c>) and the contribution adds it: the same values, one pass over d fewer.
/// Straight-line code only.
/// </summary>
internal static class BackwardFusion
{
    /// <summary>The backward calls that make their result's sum too, with their arguments' count before <c>like, out summed</c>.</summary>
    private static readonly Dictionary<string, int> s_fusable = new()
    {
        ["global::GradGen.Matrix.SigmoidBackward"] = 2,
        ["global::GradGen.Matrix.TanhBackward"] = 2,
        ["global::GradGen.Matrix.MaskWherePositive"] = 2,
        ["global::GradGen.Matrix.SoftmaxCrossEntropyBackward"] = 3,
    };

    private const string SumToShapeOf = "global::GradGen.Matrix.SumToShapeOf";

    /// <summary>The gradient with each activation's backward making the sum its bias's adjoint receives.</summary>
    public static Gradient Fuse(Gradient gradient)
    {
        if (!gradient.Steps.All(node => node is BackwardStep)) return gradient;
        var steps = gradient.Steps.Cast<BackwardStep>().Select(step => step.Accumulations.ToList()).ToList();
        var all = steps.SelectMany(accumulations => accumulations).ToList();
        var adjoints = new HashSet<string>(gradient.Adjoints());
        var names = new NameAllocator(gradient.Names());
        var fused = false;
        for (var i = 0; i < steps.Count; i++)
        {
            for (var j = 0; j < steps[i].Count; j++)
            {
                var made = steps[i][j];
                if (!made.Declare || made.At is not null || made.Value is not Call { Receiver: null } call || !s_fusable.TryGetValue(call.Function, out var arity) || call.Args.Length != arity) continue;
                if (all.Count(a => a.Adjoint == made.Adjoint) != 1 || Sum(steps, i, made.Adjoint, adjoints) is not var (k, m, like)) continue;
                var summed = names.Fresh(made.Adjoint + "_summed");
                var type = made.Type.Item().Keyword();
                steps[i][j] = made with { Value = call with { Args = call.Args.Add(like).Add(new Raw($"out {type} {summed}")) } };
                steps[k][m] = steps[k][m] with { Made = summed };
                fused = true;
            }
        }
        if (!fused) return gradient;
        return gradient with { Steps = gradient.Steps.Cast<BackwardStep>().Select((step, i) => (BackwardNode)(step with { Accumulations = steps[i] })).ToList() };
    }

    /// <summary>
    /// The first contribution after step <paramref name="after"/> that adds <c>SumToShapeOf(adjoint, like)</c> to an
    /// adjoint declared before it (a parameter's, as a bias's is), like a forward value; null if there is none.
    /// </summary>
    private static (int Step, int Index, Variable Like)? Sum(List<List<Accumulation>> steps, int after, string adjoint, HashSet<string> adjoints)
    {
        for (var k = after + 1; k < steps.Count; k++)
        {
            for (var m = 0; m < steps[k].Count; m++)
            {
                var a = steps[k][m];
                if (!a.Declare && a.At is null && a.Made is null && a.Value is Call { Function: SumToShapeOf, Receiver: null, Args.Length: 2 } sum
                    && sum.Args[0] is Variable d && sum.Args[1] is Variable like && d.Name == adjoint && !adjoints.Contains(like.Name))
                {
                    return (k, m, like);
                }
            }
        }
        return null;
    }
}

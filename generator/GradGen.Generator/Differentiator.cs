using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GradGen.Generator.Expressions;
using GradGen.Generator.Model;

namespace GradGen.Generator;

/// <summary>
/// Phase 3: reverse mode over the A-normal form. Walks the steps backwards and, for every argument of a
/// step that depends on a differentiated parameter, adds adjoint(target) · ∂target/∂argument (from
/// <see cref="DerivativeRules"/>) to the argument's adjoint. A variable used along several paths gets
/// one contribution per use, summed. Values that do not depend on a differentiated parameter (data
/// parameters, constants) get no adjoint at all.
/// </summary>
internal static class Differentiator
{
    public static Gradient Differentiate(MethodModel method)
    {
        var steps = method.Steps.OfType<OpStep>().ToList();
        var types = method.Parameters.ToDictionary(p => p.Name, p => p.Type);
        foreach (var step in steps) types[step.Target] = step.Type;

        // Forward activity: a variable is active when it depends on a differentiated parameter through a differentiable operation.
        var active = new HashSet<string>(method.Parameters.Where(p => p.IsDifferentiated).Select(p => p.Name));
        foreach (var step in steps)
        {
            if (!DerivativeRules.Get(step.Op).IsConstant && step.Args.Any(a => IsActive(a, active))) active.Add(step.Target);
        }
        var producers = steps.Select((step, i) => (step.Target, Index: i)).ToDictionary(p => p.Target, p => p.Index);
        var uses = steps.SelectMany(s => s.Args).Append(method.Result).Where(a => a.Variable is not null)
            .GroupBy(a => a.Variable!).ToDictionary(g => g.Key, g => g.Count());

        var names = new NameAllocator(types.Keys);
        var adjoints = new Dictionary<string, string>();
        string AdjointOf(string variable) =>
            adjoints.TryGetValue(variable, out var name) ? name : adjoints[variable] = names.Fresh("dL_d" + variable.TrimStart('@'));

        var parameterAdjoints = method.Parameters.Where(p => p.IsDifferentiated).Select(p => (Parameter: p, Adjoint: AdjointOf(p.Name))).ToList();
        var parameters = new HashSet<string>(method.Parameters.Select(p => p.Name));
        var result = method.Result.Variable;
        // The pullback's incoming adjoint is always called dL_dresult: it is the adjoint of the returned variable.
        var upstream = names.Fresh("dL_dresult");
        if (result is not null && !parameters.Contains(result)) adjoints[result] = upstream;

        // Adjoints holding a value so far: differentiated parameters (caller-supplied, accumulated into) and the result.
        var hasAdjoint = new HashSet<string>(parameterAdjoints.Select(p => p.Parameter.Name));
        var backward = new List<BackwardStep>();
        if (result is not null && parameters.Contains(result) && active.Contains(result))
        {
            var seed = new Accumulation(result, AdjointOf(result), types[result], 1, new Variable(upstream), Declare: false);
            backward.Add(new BackwardStep(result, new Variable(result), types[result], [seed]));
        }
        else if (result is not null)
        {
            hasAdjoint.Add(result);
        }

        var contexts = steps.Select(step => new RuleContext(
            step.Args.Select(Expr.Of).ToImmutableArray(),
            new Variable(step.Target),
            step.Type,
            step.Args.Select(a => a.IsConstant ? step.Type : types[a.Variable!]).ToImmutableArray())).ToList();
        var forward = steps.Select((step, i) => new ForwardStep(step.Target, step.Type, DerivativeRules.Get(step.Op).Forward(contexts[i]))).ToList();

        for (var i = steps.Count - 1; i >= 0; i--)
        {
            var step = steps[i];
            if (!active.Contains(step.Target) || !hasAdjoint.Contains(step.Target)) continue;

            var rule = DerivativeRules.Get(step.Op);
            var context = contexts[i];
            var adjoint = new Variable(AdjointOf(step.Target));
            var accumulations = new List<Accumulation>();
            ForwardStep? fusedWith = null;
            for (var arg = 0; arg < step.Args.Count; arg++)
            {
                if (!IsActive(step.Args[arg], active)) continue;
                var variable = step.Args[arg].Variable!;

                // A loss of an activation used nowhere else: one fused contribution to the activation's input,
                // and the activation's own backward never runs (its output gets no adjoint).
                if (arg == 0 && producers.TryGetValue(variable, out var inner) && uses[variable] == 1
                    && DerivativeRules.Fused(step.Op, steps[inner].Op) is { } fused)
                {
                    var input = steps[inner].Args[0].Variable!;
                    fusedWith = forward[inner];
                    accumulations.Add(new Accumulation(input, AdjointOf(input), types[input], null, fused.Pullback(context, contexts[inner], adjoint), Declare: hasAdjoint.Add(input)));
                    continue;
                }

                var argumentRule = rule.Arguments[arg];
                var argType = context.ArgTypes[arg];
                var value = argumentRule.Pullback(context, adjoint);
                if (step.Op == DerivativeRules.Convert) value = new Cast(argType, step.Type, value);
                accumulations.Add(new Accumulation(variable, AdjointOf(variable), argType, argumentRule.Partial?.Invoke(context), value, Declare: hasAdjoint.Add(variable)));
            }
            backward.Add(new BackwardStep(step.Target, forward[i].Value, step.Type, accumulations, fusedWith));
        }

        return new Gradient(method, forward, parameterAdjoints, upstream, backward);
    }

    private static bool IsActive(Operand operand, HashSet<string> active) => operand.Variable is { } name && active.Contains(name);
}

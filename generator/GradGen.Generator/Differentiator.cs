using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using GradGen.Generator.Expressions;
using GradGen.Generator.Model;

namespace GradGen.Generator;

/// <summary>
/// Phase 3: reverse mode over the A-normal form. Walks the steps backwards and, for every argument of a
/// step that depends on a differentiated parameter, adds adjoint(target) · ∂target/∂argument (from
/// <see cref="DerivativeRules"/>) to the argument's adjoint. A variable used along several paths gets
/// one contribution per use, summed. Values that do not depend on a differentiated parameter (data
/// parameters, constants) get no adjoint at all. A branch is undone by branching again on the condition
/// the forward recorded, so only the branch that ran is differentiated.
/// </summary>
internal sealed class Differentiator
{
    private readonly Dictionary<string, NumType> _types;
    private readonly HashSet<string> _active;
    private readonly Dictionary<string, OpStep> _producers = [];
    private readonly Dictionary<string, int> _uses = [];
    private readonly Dictionary<IfStep, string> _taken = new(ReferenceComparer.Instance);
    private readonly NameAllocator _names;
    private readonly Dictionary<string, string> _adjoints = [];
    /// <summary>Adjoints holding a value so far (declared, or caller-supplied).</summary>
    private readonly HashSet<string> _hasAdjoint = [];

    private Differentiator(MethodModel method)
    {
        _types = method.Parameters.ToDictionary(p => p.Name, p => p.Type);
        _active = new HashSet<string>(method.Parameters.Where(p => p.IsDifferentiated).Select(p => p.Name));
        Analyze(method.Steps);
        Use(method.Result);
        _names = new NameAllocator(_types.Keys);
    }

    public static Gradient Differentiate(MethodModel method) => new Differentiator(method).Run(method);

    private Gradient Run(MethodModel method)
    {
        var parameterAdjoints = method.Parameters.Where(p => p.IsDifferentiated).Select(p => (Parameter: p, Adjoint: AdjointOf(p.Name))).ToList();
        _hasAdjoint.UnionWith(parameterAdjoints.Select(p => p.Parameter.Name));
        var parameters = new HashSet<string>(method.Parameters.Select(p => p.Name));
        var result = method.Result.Variable;
        // The pullback's incoming adjoint is always called dL_dresult: it is the adjoint of the returned variable.
        var upstream = _names.Fresh("dL_dresult");
        if (result is not null && !parameters.Contains(result)) _adjoints[result] = upstream;

        var forward = Forward(method.Steps);
        var backward = new List<BackwardNode>();
        if (result is not null && parameters.Contains(result) && _active.Contains(result))
        {
            var seed = new Accumulation(result, AdjointOf(result), _types[result], 1, new Variable(upstream), Declare: false);
            backward.Add(new BackwardStep(result, new Variable(result), _types[result], [seed]));
        }
        else if (result is not null)
        {
            _hasAdjoint.Add(result);
        }
        backward.AddRange(Backward(method.Steps));
        return new Gradient(method, forward, parameterAdjoints, upstream, backward);
    }

    // ---- Analysis: types, activity, producers and uses, in one forward walk ----

    private void Analyze(IEnumerable<Step> steps)
    {
        foreach (var step in steps)
        {
            switch (step)
            {
                case OpStep op:
                    _types[op.Target] = op.Type;
                    _producers[op.Target] = op;
                    foreach (var arg in op.Args) Use(arg);
                    // Active: depends on a differentiated parameter through a differentiable operation.
                    if (!DerivativeRules.Get(op.Op).IsConstant && op.Args.Any(IsActive)) _active.Add(op.Target);
                    break;
                case CallStep call:
                    _types[call.Target] = call.Type;
                    foreach (var arg in call.Args) Use(arg.Value);
                    if (call.Pullback is not null && call.Args.Any(a => a.Differentiated && IsActive(a.Value))) _active.Add(call.Target);
                    break;
                case IfStep branch:
                    _taken[branch] = "";
                    foreach (var operand in Operands(branch.Condition)) Use(operand);
                    Analyze(branch.Then);
                    Analyze(branch.Else);
                    foreach (var merge in branch.Merges)
                    {
                        _types[merge.Target] = merge.Type;
                        Use(merge.WhenTrue);
                        Use(merge.WhenFalse);
                        if (IsActive(merge.WhenTrue) || IsActive(merge.WhenFalse)) _active.Add(merge.Target);
                    }
                    break;
            }
        }
    }

    private void Use(Operand operand)
    {
        if (operand.Variable is { } name) _uses[name] = _uses.TryGetValue(name, out var count) ? count + 1 : 1;
    }

    private bool IsActive(Operand operand) => operand.Variable is { } name && _active.Contains(name);

    // ---- Forward ----

    private List<ForwardNode> Forward(IEnumerable<Step> steps) => steps.Select(step => step switch
    {
        IfStep branch => new ForwardIf(_taken[branch] = _names.Fresh("taken"), branch.Condition, Forward(branch.Then), Forward(branch.Else), branch.Merges),
        CallStep call => new ForwardStep(call.Target, call.Type, CallOf(call.Function, call.Args.Select(a => a.Value), call.Args.Select(a => a.Type))),
        _ => (ForwardNode)ForwardOf((OpStep)step),
    }).ToList();

    /// <summary>A call; constant arguments are written as literals of their parameter's type.</summary>
    private static Call CallOf(string function, IEnumerable<Operand> args, IEnumerable<NumType> types) =>
        new(function, args.Zip(types, (a, t) => a.IsConstant ? new Raw(ExprPrinter.Literal(a.Constant, t)) : Expr.Of(a)).ToImmutableArray());

    private ForwardStep ForwardOf(OpStep step) => new(step.Target, step.Type, DerivativeRules.Get(step.Op).Forward(Context(step)));

    private RuleContext Context(OpStep step) => new(
        step.Args.Select(Expr.Of).ToImmutableArray(),
        new Variable(step.Target),
        step.Type,
        step.Args.Select(a => a.IsConstant ? step.Type : _types[a.Variable!]).ToImmutableArray());

    // ---- Backward ----

    private List<BackwardNode> Backward(IReadOnlyList<Step> steps)
    {
        var backward = new List<BackwardNode>();
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            switch (steps[i])
            {
                case OpStep op when _active.Contains(op.Target) && _hasAdjoint.Contains(op.Target):
                    backward.Add(BackwardOf(op));
                    break;
                case CallStep call when _active.Contains(call.Target) && _hasAdjoint.Contains(call.Target):
                    backward.AddRange(BackwardOf(call));
                    break;
                case IfStep branch:
                    backward.AddRange(BackwardOf(branch));
                    break;
            }
        }
        return backward;
    }

    private BackwardStep BackwardOf(OpStep step)
    {
        var rule = DerivativeRules.Get(step.Op);
        var context = Context(step);
        var adjoint = new Variable(AdjointOf(step.Target));
        var accumulations = new List<Accumulation>();
        ForwardStep? fusedWith = null;
        for (var arg = 0; arg < step.Args.Count; arg++)
        {
            if (!IsActive(step.Args[arg])) continue;
            var variable = step.Args[arg].Variable!;

            // A loss of an activation used nowhere else: one fused contribution to the activation's input,
            // and the activation's own backward never runs (its output gets no adjoint).
            if (arg == 0 && _producers.TryGetValue(variable, out var inner) && _uses[variable] == 1
                && DerivativeRules.Fused(step.Op, inner.Op) is { } fused)
            {
                var input = inner.Args[0].Variable!;
                fusedWith = ForwardOf(inner);
                accumulations.Add(Contribution(input, null, fused.Pullback(context, Context(inner), adjoint)));
                continue;
            }

            var argumentRule = rule.Arguments[arg];
            var value = argumentRule.Pullback(context, adjoint);
            if (step.Op == DerivativeRules.Convert) value = new Cast(context.ArgTypes[arg], step.Type, value);
            accumulations.Add(Contribution(variable, argumentRule.Partial?.Invoke(context), value));
        }
        return new BackwardStep(step.Target, ForwardOf(step).Value, step.Type, accumulations, fusedWith);
    }

    /// <summary>
    /// The callee's pullback adds to the adjoint of each argument it differentiates. Adjoints it receives must exist
    /// first; an argument that carries no derivative (data, a constant) gets a scratch adjoint that is then ignored.
    /// </summary>
    private IEnumerable<BackwardNode> BackwardOf(CallStep call)
    {
        var adjoints = new List<string>();
        foreach (var arg in call.Args.Where(a => a.Differentiated))
        {
            if (IsActive(arg.Value))
            {
                var variable = arg.Value.Variable!;
                if (_hasAdjoint.Add(variable)) yield return new ZeroAdjoint(variable, AdjointOf(variable), arg.Type);
                adjoints.Add(AdjointOf(variable));
            }
            else
            {
                var scratch = _names.Fresh("unused");
                yield return new ZeroAdjoint(arg.Value.Variable ?? "", scratch, arg.Type);
                adjoints.Add(scratch);
            }
        }
        var args = call.Args.Select(a => a.Value).Append(Operand.Var(AdjointOf(call.Target)));
        yield return new BackwardCall(call.Target, CallOf(call.Function, call.Args.Select(a => a.Value), call.Args.Select(a => a.Type)),
            CallOf(call.Pullback!, args, call.Args.Select(a => a.Type).Append(call.Type)), adjoints);
    }

    private IEnumerable<BackwardNode> BackwardOf(IfStep branch)
    {
        var merges = branch.Merges.Where(m => _active.Contains(m.Target) && _hasAdjoint.Contains(m.Target)).ToList();
        // Values leave a branch only through its merges: if none carries an adjoint, the branch contributes nothing.
        if (merges.Count == 0) yield break;

        // Variables from before the branch that receive contributions inside it start at zero outside it.
        var defined = new HashSet<string>(Defined(branch.Then).Concat(Defined(branch.Else)));
        foreach (var variable in Referenced(branch).Distinct().Where(v => !defined.Contains(v) && _active.Contains(v) && !_hasAdjoint.Contains(v)).ToList())
        {
            _hasAdjoint.Add(variable);
            yield return new ZeroAdjoint(variable, AdjointOf(variable), _types[variable]);
        }

        yield return new BackwardIf(_taken[branch], BranchBackward(merges, m => m.WhenTrue, branch.Then), BranchBackward(merges, m => m.WhenFalse, branch.Else));
    }

    /// <summary>Each merge passes its adjoint to the operand this branch gave it; then the branch's steps, reversed.</summary>
    private List<BackwardNode> BranchBackward(List<Merge> merges, System.Func<Merge, Operand> operandOf, IReadOnlyList<Step> steps)
    {
        var backward = new List<BackwardNode>();
        foreach (var merge in merges)
        {
            if (!IsActive(operandOf(merge))) continue;
            var operand = operandOf(merge).Variable!;
            var adjoint = new Variable(AdjointOf(merge.Target));
            var contribution = Contribution(operand, merge.Type.IsMatrix() ? null : 1, merge.Type.IsMatrix() ? adjoint : adjoint * 1);
            backward.Add(new BackwardStep(merge.Target, new Variable(operand), merge.Type, [contribution]));
        }
        backward.AddRange(Backward(steps));
        return backward;
    }

    private Accumulation Contribution(string variable, Expr? partial, Expr value) =>
        new(variable, AdjointOf(variable), _types[variable], partial, value, Declare: _hasAdjoint.Add(variable));

    private string AdjointOf(string variable) =>
        _adjoints.TryGetValue(variable, out var name) ? name : _adjoints[variable] = _names.Fresh("dL_d" + variable.TrimStart('@'));

    private static IEnumerable<string> Defined(IEnumerable<Step> steps) => steps.SelectMany(step => step switch
    {
        IfStep branch => Defined(branch.Then).Concat(Defined(branch.Else)).Concat(branch.Merges.Select(m => m.Target)),
        CallStep call => [call.Target],
        _ => [((OpStep)step).Target],
    });

    /// <summary>The variables whose adjoints a branch's backward may add to: step arguments and merge operands.</summary>
    private static IEnumerable<string> Referenced(IfStep branch) =>
        branch.Then.Concat(branch.Else)
            .SelectMany(step => step switch
            {
                IfStep inner => Referenced(inner),
                CallStep call => call.Args.Select(a => a.Value.Variable).OfType<string>(),
                _ => ((OpStep)step).Args.Select(a => a.Variable).OfType<string>(),
            })
            .Concat(branch.Merges.SelectMany(m => new[] { m.WhenTrue.Variable, m.WhenFalse.Variable }).OfType<string>());

    private static IEnumerable<Operand> Operands(Condition condition) => condition switch
    {
        Comparison c => [c.Left, c.Right],
        Logical l => Operands(l.Left).Concat(Operands(l.Right)),
        Not n => Operands(n.Operand),
        _ => Enumerable.Empty<Operand>(),
    };

    /// <summary>Identity, not value equality: two equal-looking branches are still two branches.</summary>
    private sealed class ReferenceComparer : IEqualityComparer<IfStep>
    {
        public static readonly ReferenceComparer Instance = new();

        public bool Equals(IfStep? x, IfStep? y) => ReferenceEquals(x, y);

        public int GetHashCode(IfStep obj) => RuntimeHelpers.GetHashCode(obj);
    }
}

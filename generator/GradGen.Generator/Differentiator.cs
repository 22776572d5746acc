using System;
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
/// parameters, constants) get no adjoint at all. A branch is undone by branching again on the condition
/// the forward recorded, so only the branch that ran is differentiated.
/// </summary>
internal sealed class Differentiator
{
    private readonly Activity _activity;

    /// <summary>The pullback's workspace parameter, which the forward's calls of generated value methods pass on.</summary>
    private string _workspace = "workspace";

    private readonly MethodModel _method;
    /// <summary>Per branch, the flag recording which side ran; per loop, its tapes.</summary>
    private readonly Dictionary<Step, string> _saved = new(ReferenceComparer.Instance);
    private readonly Dictionary<Step, IReadOnlyList<Tape>> _tapes = new(ReferenceComparer.Instance);
    private readonly NameAllocator _names;
    private readonly Dictionary<string, string> _adjoints = [];
    /// <summary>Adjoints holding a value so far (declared, or caller-supplied).</summary>
    private readonly HashSet<string> _hasAdjoint = [];

    private Differentiator(MethodModel method)
    {
        _activity = Activity.Of(method);
        _method = method;
        _names = new NameAllocator(_activity.Types.Keys);
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
        var workspace = _workspace = _names.Fresh("workspace");
        if (result is not null && !parameters.Contains(result)) _adjoints[result] = upstream;

        var forward = Forward(method.Steps);
        var backward = new List<BackwardNode>();
        if (result is not null && parameters.Contains(result) && _activity.IsActive(result))
        {
            var seed = new Accumulation(result, AdjointOf(result), _activity.Types[result], 1, new Variable(upstream), Declare: false);
            backward.Add(new BackwardStep(result, new Variable(result), _activity.Types[result], [seed]));
        }
        else if (result is not null)
        {
            _hasAdjoint.Add(result);
        }
        backward.AddRange(Backward(method.Steps));

        // Which values each loop records is decided by what its backward reads; the forward records just those.
        var kept = new Dictionary<LoopStep, IReadOnlyList<Tape>>(ReferenceComparer.Instance);
        var pruned = KeepReadTapes(backward, kept);
        return new Gradient(method, WithTapes(forward, kept), parameterAdjoints, upstream, pruned, workspace);
    }

    /// <summary>
    /// Each loop's backward with only the tapes it reads (and the first, whose length is the iteration count); the tapes
    /// kept are noted per loop. Inner loops first: their tapes are values of the outer loop.
    /// </summary>
    private static IReadOnlyList<BackwardNode> KeepReadTapes(IReadOnlyList<BackwardNode> nodes, Dictionary<LoopStep, IReadOnlyList<Tape>> kept) =>
        nodes.Select(node => node switch
        {
            BackwardIf branch => branch with { Then = KeepReadTapes(branch.Then, kept), Else = KeepReadTapes(branch.Else, kept) },
            BackwardLoop loop => KeepReadTapes(loop, kept),
            _ => node,
        }).ToList();

    private static BackwardLoop KeepReadTapes(BackwardLoop loop, Dictionary<LoopStep, IReadOnlyList<Tape>> kept)
    {
        var body = KeepReadTapes(loop.Body, kept);
        var read = new HashSet<string>(Reads(body));
        var tapes = loop.Tapes.Where((tape, i) => i == 0 || read.Contains(tape.Variable)).ToList();
        kept[loop.Loop] = tapes;
        return loop with { Tapes = tapes, Body = body };
    }

    /// <summary>The forward with each loop recording the tapes its backward keeps; a loop whose backward never runs records none.</summary>
    private static IReadOnlyList<ForwardNode> WithTapes(IReadOnlyList<ForwardNode> nodes, Dictionary<LoopStep, IReadOnlyList<Tape>> kept) =>
        nodes.Select(node => node switch
        {
            ForwardIf branch => branch with { Then = WithTapes(branch.Then, kept), Else = WithTapes(branch.Else, kept) },
            ForwardLoop loop => loop with
            {
                Header = WithTapes(loop.Header, kept),
                Body = WithTapes(loop.Body, kept),
                Tapes = kept.TryGetValue(loop.Loop, out var tapes) ? tapes : Array.Empty<Tape>(),
            },
            _ => node,
        }).ToList();

    /// <summary>The variables the backward nodes' code reads.</summary>
    private static IEnumerable<string> Reads(IEnumerable<BackwardNode> nodes) => nodes.SelectMany(node => node switch
    {
        BackwardStep step => step.Accumulations.SelectMany(a => a.At is null ? a.Value.Variables() : a.Value.Variables().Concat(a.At.Variables())),
        BackwardCall call => call.Pullback.Args.SelectMany(a => a.Variables()),
        ZeroAdjoint zero => [zero.Variable],
        BackwardIf branch => Reads(branch.Then).Concat(Reads(branch.Else)).Append(branch.Taken),
        BackwardLoop loop => loop.Tapes.Select(t => t.Name).Concat(Reads(loop.Body)),
        _ => [],
    });

    private bool IsActive(Operand operand) => _activity.IsActive(operand);

    // ---- Forward ----

    private List<ForwardNode> Forward(IEnumerable<Step> steps) => steps.Select(step => step switch
    {
        IfStep branch => new ForwardIf(_saved[branch] = _names.Fresh("taken"), branch.Condition, Forward(branch.Then), Forward(branch.Else), branch.Merges),
        LoopStep loop => ForwardOf(loop),
        CallStep call => new ForwardStep(call.Target, call.Type, ValueOf(call)),
        ThrowStep => new ForwardThrow(),
        _ => (ForwardNode)ForwardOf((OpStep)step),
    }).ToList();

    /// <summary>
    /// The loop, recording per iteration every value its backward reads: the counter, the carried variables' values
    /// inside the iteration, and everything the header and body compute (including inner loops' tapes).
    /// </summary>
    private ForwardLoop ForwardOf(LoopStep loop)
    {
        var header = Forward(loop.Header);
        var body = Forward(loop.Body);
        var saved = (loop.Counter is { } counter ? [(counter, "int")] : Enumerable.Empty<(string, string)>())
            .Concat(loop.Carried.Select(c => (c.Inside, c.Type.Keyword())))
            .Concat(ForwardNodes.Declared(header))
            .Concat(ForwardNodes.Declared(body));
        var tapes = saved.Select(v => new Tape(v.Item1, v.Item2, _names.Fresh(v.Item1.TrimStart('@') + "_tape"))).ToList();
        _tapes[loop] = tapes;
        return new ForwardLoop(loop, header, body, tapes);
    }

    /// <summary>A call; constant arguments are written as literals of their parameter's type.</summary>
    private Call ForwardOf(CallStep call) =>
        CallOf(call.Function, call.Args.Select(a => a.Value), call.Args.Select(a => a.Type)) with { Receiver = ReceiverOf(call.Receiver, gradient: false) };

    /// <summary>What the forward calls: the callee's generated value method over the workspace when it has one, else the callee.</summary>
    private Call ValueOf(CallStep call)
    {
        var forward = ForwardOf(call);
        return call.Value is null ? forward : forward with { Function = call.Value, Args = forward.Args.Add(new Variable(_workspace)) };
    }

    /// <summary>The model a model's method is called on (<c>this.Layers[i]</c>), or with <paramref name="gradient"/> its part of the caller's gradient (<c>gradient.Layers[i]</c>).</summary>
    private Expr? ReceiverOf(Receiver? receiver, bool gradient)
    {
        if (receiver is null) return null;
        var names = receiver.Path.Split('.');
        Expr root = gradient ? new Variable(_method.RootOf(receiver.Path).Gradient) : names[0] == ModelRoot.This ? new Raw(ModelRoot.This) : new Variable(names[0]);
        var path = names.Skip(1).Aggregate(root, (target, name) => new Member(target, name));
        return receiver.Index is { } index ? new Element(path, Expr.Of(index)) : path;
    }

    internal static Call CallOf(string function, IEnumerable<Operand> args, IEnumerable<NumType> types) =>
        new(function, args.Zip(types, (a, t) => a.IsConstant ? new Raw(ExprPrinter.Literal(a.Constant, t)) : Expr.Of(a)).ToImmutableArray());

    private ForwardStep ForwardOf(OpStep step) => new(step.Target, step.Type, DerivativeRules.Get(step.Op).Forward(Context(step)));

    private RuleContext Context(OpStep step) => _activity.Context(step);

    // ---- Backward ----

    private List<BackwardNode> Backward(IReadOnlyList<Step> steps)
    {
        var backward = new List<BackwardNode>();
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            switch (steps[i])
            {
                case OpStep op when _activity.IsActive(op.Target) && _hasAdjoint.Contains(op.Target):
                    backward.Add(BackwardOf(op));
                    break;
                case CallStep call when _activity.IsActive(call.Target) && _hasAdjoint.Contains(call.Target):
                    backward.AddRange(BackwardOf(call));
                    break;
                case IfStep branch:
                    backward.AddRange(BackwardOf(branch));
                    break;
                case LoopStep loop:
                    backward.AddRange(BackwardOf(loop));
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

            // A loss of an activation: one fused contribution to the activation's input, exact at any magnitude (the
            // activation's Jacobian at saturation would zero it). Other uses of the activation still reach its input
            // through its own rule; with none, its backward never runs (its output gets no adjoint).
            if (arg == 0 && _activity.Producers.TryGetValue(variable, out var inner) && DerivativeRules.Fused(step.Op, inner.Op) is { } fused)
            {
                var input = inner.Args[0].Variable!;
                fusedWith = ForwardOf(inner);
                accumulations.Add(Contribution(input, null, fused.Pullback(context, Context(inner), adjoint)));
                continue;
            }

            var argumentRule = rule.Arguments[arg];
            var value = argumentRule.Pullback(context, adjoint);
            if (step.Op == DerivativeRules.Convert) value = new Cast(context.ArgTypes[arg], step.Type, value);
            accumulations.Add(Contribution(variable, argumentRule.Partial?.Invoke(context), value) with { At = argumentRule.At?.Invoke(context) });
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
        yield return new BackwardCall(call.Target, ForwardOf(call),
            CallOf(call.Pullback!, args, call.Args.Select(a => a.Type).Append(call.Type)) with { Receiver = ReceiverOf(call.Receiver, gradient: false) },
            adjoints, call.PullbackTakesWorkspace, ReceiverOf(call.Receiver, gradient: true), Generated: call.Value is not null);
    }

    private IEnumerable<BackwardNode> BackwardOf(IfStep branch)
    {
        var merges = branch.Merges.Where(m => _activity.IsActive(m.Target) && _hasAdjoint.Contains(m.Target)).ToList();
        // Values leave a branch only through its merges: if none carries an adjoint, the branch contributes nothing.
        if (merges.Count == 0) yield break;

        foreach (var zero in ZeroOuterAdjoints([branch])) yield return zero;
        yield return new BackwardIf(_saved[branch], BranchBackward(merges, m => m.WhenTrue, branch.Then), BranchBackward(merges, m => m.WhenFalse, branch.Else));
    }

    /// <summary>Each merge passes its adjoint to the operand this branch gave it; then the branch's steps, reversed.</summary>
    private List<BackwardNode> BranchBackward(List<Merge> merges, System.Func<Merge, Operand> operandOf, IReadOnlyList<Step> steps)
    {
        var backward = merges.Where(m => IsActive(operandOf(m))).Select(m => (BackwardNode)Pass(m.Target, operandOf(m).Variable!, m.Type)).ToList();
        backward.AddRange(Backward(steps));
        return backward;
    }

    /// <summary>
    /// The iterations in reverse. Each restores its values from the tapes; the adjoint of a carried variable's exit
    /// value (from the iteration after, or the code after the loop) flows to its next value, then through the body to
    /// its inside value, which is the exit value of the iteration before; after the first, to its initial value.
    /// </summary>
    private IEnumerable<BackwardNode> BackwardOf(LoopStep loop)
    {
        var carried = loop.Carried.Where(c => _activity.IsActive(c.Exit)).ToList();
        if (!carried.Any(c => _hasAdjoint.Contains(c.Exit))) yield break;

        foreach (var c in carried.Where(c => _hasAdjoint.Add(c.Exit))) yield return new ZeroAdjoint(c.Exit, AdjointOf(c.Exit), c.Type);
        foreach (var zero in ZeroOuterAdjoints([loop])) yield return zero;

        var body = new List<BackwardNode>();
        foreach (var c in carried.Where(c => _hasAdjoint.Add(c.Inside))) body.Add(new ZeroAdjoint(c.Inside, AdjointOf(c.Inside), c.Type));
        body.AddRange(carried.Where(c => IsActive(c.Next)).Select(c => Pass(c.Exit, c.Next.Variable!, c.Type)));
        body.AddRange(Backward(loop.Body));
        body.AddRange(carried.Select(c => new AssignAdjoint(AdjointOf(c.Exit), AdjointOf(c.Inside))));
        yield return new BackwardLoop(loop, _names.Fresh("iteration"), _tapes[loop], body);

        foreach (var c in carried.Where(c => IsActive(c.Initial))) yield return Pass(c.Exit, c.Initial.Variable!, c.Type);
    }

    /// <summary>Variables from before a branch or loop that receive contributions inside it start at zero outside it.</summary>
    private IEnumerable<ZeroAdjoint> ZeroOuterAdjoints(IReadOnlyList<Step> steps)
    {
        var defined = new HashSet<string>(Defined(steps));
        foreach (var variable in Referenced(steps).Distinct().Where(v => !defined.Contains(v) && _activity.IsActive(v) && !_hasAdjoint.Contains(v)).ToList())
        {
            _hasAdjoint.Add(variable);
            yield return new ZeroAdjoint(variable, AdjointOf(variable), _activity.Types[variable]);
        }
    }

    /// <summary><c>Target = Operand</c> backwards: the target's adjoint is added to the operand's.</summary>
    private BackwardStep Pass(string target, string operand, NumType type)
    {
        var adjoint = new Variable(AdjointOf(target));
        return new BackwardStep(target, new Variable(operand), type, [Contribution(operand, type.IsMatrix() ? null : 1, type.IsMatrix() ? adjoint : adjoint * 1)]);
    }

    private Accumulation Contribution(string variable, Expr? partial, Expr value) =>
        new(variable, AdjointOf(variable), _activity.Types[variable], partial, value, Declare: _hasAdjoint.Add(variable));

    private string AdjointOf(string variable) =>
        _adjoints.TryGetValue(variable, out var name) ? name : _adjoints[variable] = _names.Fresh("dL_d" + variable.TrimStart('@'));

    /// <summary>The variables the steps define, nested blocks' included.</summary>
    private static IEnumerable<string> Defined(IEnumerable<Step> steps) => steps.SelectMany(step => step switch
    {
        IfStep branch => Defined(branch.Then).Concat(Defined(branch.Else)).Concat(branch.Merges.Select(m => m.Target)),
        LoopStep loop => Defined(loop.Header).Concat(Defined(loop.Body)).Concat(loop.Carried.SelectMany(c => new[] { c.Inside, c.Exit })),
        CallStep call => [call.Target],
        OpStep op => [op.Target],
        _ => [],
    });

    /// <summary>The variables whose adjoints the steps' backward may add to: arguments, merge operands, carried values.</summary>
    private static IEnumerable<string> Referenced(IEnumerable<Step> steps) => steps.SelectMany(step => (step switch
    {
        IfStep branch => Referenced(branch.Then.Concat(branch.Else)).Select(Operand.Var).Concat(branch.Merges.SelectMany(m => new[] { m.WhenTrue, m.WhenFalse })),
        LoopStep loop => Referenced(loop.Body).Select(Operand.Var).Concat(loop.Carried.SelectMany(c => new[] { c.Initial, c.Next })),
        CallStep call => call.Args.Select(a => a.Value),
        OpStep op => op.Args,
        _ => [],
    }).Select(o => o.Variable).OfType<string>());
}

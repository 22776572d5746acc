using System;
using System.Collections.Generic;
using System.Linq;
using GradGen.Generator.Expressions;
using GradGen.Generator.Model;

namespace GradGen.Generator;

/// <summary>
/// The Hessian-vector product of one method as the emitter writes it: the pullback with tangents along a direction v.
/// Its forward carries each value's tangent (forward mode); its backward, after each adjoint contribution, the
/// contribution's tangent, so that the tangent of a parameter's adjoint is the parameter's row of H·v.
/// </summary>
/// <param name="Pullback">The pullback's forward and backward nodes with the tangents interleaved.</param>
/// <param name="Parameters">Per differentiated parameter: its direction (the tangent it is given) and its component of H·v.</param>
/// <param name="UpstreamTangent">The tangent of the pullback's incoming adjoint (0 for a Hessian; a caller's, for a call).</param>
internal sealed record HessianVector(Gradient Pullback, IReadOnlyList<(Parameter Parameter, string Direction, string Product)> Parameters, string UpstreamTangent);

/// <summary>Tangents of a pullback's own adjoint contributions (after the contributions themselves).</summary>
internal sealed record TangentAccumulations(IReadOnlyList<Accumulation> Accumulations) : BackwardNode;

/// <summary>
/// Phase 3, second order: forward over reverse. GradGen differentiates the pullback it generated, statement by statement
/// (<see cref="ExprTangent"/>): each forward value v gets dv, each adjoint contribution a += e gets da += de. With the
/// incoming adjoint 1 (tangent 0), the parameters' adjoints are the gradient and their tangents H·v, exactly, for about
/// twice the cost of a gradient. Loops record the tangents their backward reads next to the values.
/// </summary>
internal sealed class SecondOrder
{
    private readonly Activity _activity;
    private readonly NameAllocator _names;
    private readonly Dictionary<string, string> _tangents = [];
    private readonly Dictionary<string, string> _adjointTangents = [];
    private readonly Dictionary<string, CallStep> _calls = [];
    private readonly Dictionary<LoopStep, IReadOnlyList<Tape>> _tapes = new(ReferenceComparer.Instance);
    /// <summary>Per loop (by the name of its first tape), the tapes of tangents it adds: an outer loop records them too.</summary>
    private readonly Dictionary<string, IReadOnlyList<Tape>> _tangentTapes = [];

    private SecondOrder(Gradient gradient)
    {
        _activity = Activity.Of(gradient.Method);
        _names = new NameAllocator(Names(gradient));
        foreach (var call in Calls(gradient.Method.Steps)) _calls[call.Target] = call;
        foreach (var adjoint in Adjoints(gradient)) _adjointTangents[adjoint] = "";
    }

    public static HessianVector Differentiate(Gradient gradient) => new SecondOrder(gradient).Run(gradient);

    private HessianVector Run(Gradient gradient)
    {
        var parameters = gradient.ParameterAdjoints
            .Select(p => (p.Parameter, Direction: _tangents[p.Parameter.Name] = _names.Fresh("v" + p.Parameter.Name.TrimStart('@')), Product: AdjointTangent(p.Adjoint)))
            .ToList();
        var upstream = AdjointTangent(gradient.Upstream);
        var forward = Forward(gradient.Forward);
        var backward = Backward(gradient.Steps);
        return new HessianVector(gradient with { Forward = forward, Steps = backward }, parameters, upstream);
    }

    // ---- Forward: values and their tangents ----

    private List<ForwardNode> Forward(IReadOnlyList<ForwardNode> nodes)
    {
        var result = new List<ForwardNode>();
        foreach (var node in nodes)
        {
            switch (node)
            {
                // A call's value and tangent come from the callee's pushforward.
                case ForwardStep step when _calls.TryGetValue(step.Target, out var call) && _activity.IsActive(step.Target):
                    var args = call.Args.Select(a => a.Value).Concat(call.Args.Where(a => a.Differentiated).Select(a => TangentOperand(a.Value)));
                    var types = call.Args.Select(a => a.Type).Concat(call.Args.Where(a => a.Differentiated).Select(a => a.Type));
                    result.Add(new ForwardCall(step.Target, Tangent(step.Target), step.Type, Differentiator.CallOf(call.Pushforward!, args, types)));
                    break;
                case ForwardStep step:
                    result.Add(step);
                    if (_activity.IsActive(step.Target))
                    {
                        var tangent = ExprTangent.Of(step.Value, TangentOf, step.Type, new Variable(step.Target));
                        result.Add(new ForwardStep(Tangent(step.Target), step.Type, tangent is null ? 0 : Simplifier.Simplify(tangent)));
                    }
                    break;
                case ForwardIf branch:
                    var merges = branch.Merges.Concat(branch.Merges.Where(m => _activity.IsActive(m.Target))
                        .Select(m => new Merge(Tangent(m.Target), m.Type, TangentOperand(m.WhenTrue), TangentOperand(m.WhenFalse))));
                    result.Add(branch with { Then = Forward(branch.Then), Else = Forward(branch.Else), Merges = merges.ToList() });
                    break;
                case ForwardLoop loop:
                    var carried = loop.Loop.Carried.Concat(loop.Loop.Carried.Where(c => _activity.IsActive(c.Exit))
                        .Select(c => new LoopVariable(Tangent(c.Inside), Tangent(c.Exit), c.Type, TangentOperand(c.Initial), TangentOperand(c.Next))));
                    var header = Forward(loop.Header);
                    var body = Forward(loop.Body);
                    // The backward reads a value's tangent wherever it reads the value: both are recorded, and an inner
                    // loop's tapes of tangents wherever its tapes are.
                    var added = loop.Tapes.Where(t => _activity.IsActive(t.Variable))
                        .Select(t => new Tape(Tangent(t.Variable), t.Keyword, _names.Fresh(Tangent(t.Variable) + "_tape")))
                        .Concat(loop.Tapes.SelectMany(t => _tangentTapes.TryGetValue(t.Variable, out var inner) ? inner : [])
                            .Select(t => new Tape(t.Name, t.ListType, _names.Fresh(t.Name + "_tape"))))
                        .ToList();
                    var tapes = loop.Tapes.Concat(added).ToList();
                    if (loop.Tapes.Count > 0) _tangentTapes[loop.Tapes[0].Name] = added;
                    _tapes[loop.Loop] = tapes;
                    result.Add(new ForwardLoop(loop.Loop with { Carried = carried.ToEquatableArray() }, header, body, tapes));
                    break;
                default:
                    result.Add(node);
                    break;
            }
        }
        return result;
    }

    // ---- Backward: adjoints and their tangents ----

    private List<BackwardNode> Backward(IReadOnlyList<BackwardNode> nodes)
    {
        var result = new List<BackwardNode>();
        foreach (var node in nodes)
        {
            switch (node)
            {
                case BackwardStep step:
                    result.Add(step);
                    var tangents = step.Accumulations.Select(TangentOf).OfType<Accumulation>().ToList();
                    if (tangents.Count > 0) result.Add(new TangentAccumulations(tangents));
                    break;
                case BackwardCall call:
                    result.Add(HessianCall(call));
                    break;
                case ZeroAdjoint zero:
                    result.Add(zero);
                    result.Add(zero with { Adjoint = AdjointTangent(zero.Adjoint) });
                    break;
                case AssignAdjoint assign:
                    result.Add(assign);
                    result.Add(new AssignAdjoint(AdjointTangent(assign.Target), AdjointTangent(assign.Source)));
                    break;
                case BackwardIf branch:
                    result.Add(branch with { Then = Backward(branch.Then), Else = Backward(branch.Else) });
                    break;
                case BackwardLoop loop:
                    result.Add(loop with { Tapes = _tapes[loop.Loop], Body = Backward(loop.Body) });
                    break;
            }
        }
        return result;
    }

    /// <summary><c>da += d(value)</c> for <c>a += value</c>; null when the tangent is zero and nothing needs declaring.</summary>
    private Accumulation? TangentOf(Accumulation accumulation)
    {
        var tangent = ExprTangent.Of(accumulation.Value, TangentOf, accumulation.Type.Item());
        if (tangent is null && !accumulation.Declare) return null;
        return accumulation with { Adjoint = AdjointTangent(accumulation.Adjoint), Partial = null, Value = tangent is null ? 0 : Simplifier.Simplify(tangent) };
    }

    /// <summary>The callee's pullback with tangents: its arguments and their tangents, the adjoint and its tangent.</summary>
    private BackwardCall HessianCall(BackwardCall call)
    {
        var step = _calls[call.Target];
        var upstream = ((Variable)call.Pullback.Args[call.Pullback.Args.Length - 1]).Name;
        var args = step.Args.Select(a => a.Value)
            .Concat(step.Args.Where(a => a.Differentiated).Select(a => TangentOperand(a.Value)))
            .Concat([Operand.Var(upstream), Operand.Var(AdjointTangent(upstream))]);
        var types = step.Args.Select(a => a.Type).Concat(step.Args.Where(a => a.Differentiated).Select(a => a.Type)).Concat([step.Type, step.Type]);
        return call with
        {
            Pullback = Differentiator.CallOf(step.HessianPullback!, args, types),
            Adjoints = call.Adjoints.Concat(call.Adjoints.Select(AdjointTangent)).ToList(),
        };
    }

    // ---- Names ----

    /// <summary>A variable's tangent: an adjoint's, a value's that depends on a parameter, or none (null).</summary>
    private Expr? TangentOf(string variable) =>
        _adjointTangents.ContainsKey(variable) ? new Variable(AdjointTangent(variable))
        : _activity.IsActive(variable) ? new Variable(Tangent(variable))
        : null;

    private Operand TangentOperand(Operand operand) => _activity.IsActive(operand) ? Operand.Var(Tangent(operand.Variable!)) : Operand.Const(0);

    private string Tangent(string variable) =>
        _tangents.TryGetValue(variable, out var name) ? name : _tangents[variable] = _names.Fresh("d" + variable.TrimStart('@'));

    /// <summary>The tangent of adjoint dL_dv is Hv_v: for a parameter, its component of H·v.</summary>
    private string AdjointTangent(string adjoint)
    {
        if (_adjointTangents.TryGetValue(adjoint, out var name) && name.Length > 0) return name;
        var stem = adjoint.StartsWith("dL_d", StringComparison.Ordinal) ? adjoint.Substring(4) : adjoint;
        return _adjointTangents[adjoint] = _names.Fresh("Hv_" + stem);
    }

    private static IEnumerable<CallStep> Calls(IEnumerable<Step> steps) => steps.SelectMany(step => step switch
    {
        CallStep call => [call],
        IfStep branch => Calls(branch.Then).Concat(Calls(branch.Else)),
        LoopStep loop => Calls(loop.Header).Concat(Calls(loop.Body)),
        _ => Enumerable.Empty<CallStep>(),
    });

    /// <summary>Every adjoint the pullback declares or receives.</summary>
    private static IEnumerable<string> Adjoints(Gradient gradient) =>
        gradient.ParameterAdjoints.Select(p => p.Adjoint).Append(gradient.Upstream).Concat(Adjoints(gradient.Steps));

    private static IEnumerable<string> Adjoints(IEnumerable<BackwardNode> nodes) => nodes.SelectMany(node => node switch
    {
        BackwardStep step => step.Accumulations.Select(a => a.Adjoint),
        BackwardCall call => call.Adjoints,
        ZeroAdjoint zero => [zero.Adjoint],
        AssignAdjoint assign => [assign.Target, assign.Source],
        BackwardIf branch => Adjoints(branch.Then).Concat(Adjoints(branch.Else)),
        BackwardLoop loop => Adjoints(loop.Body),
        _ => [],
    });

    /// <summary>Every name the pullback uses, so that no tangent takes one.</summary>
    private static IEnumerable<string> Names(Gradient gradient) =>
        gradient.Method.Parameters.Select(p => p.Name)
            .Concat(Adjoints(gradient))
            .Append(gradient.Workspace)
            .Concat(ForwardNames(gradient.Forward))
            .Concat(BackwardNames(gradient.Steps));

    private static IEnumerable<string> ForwardNames(IEnumerable<ForwardNode> nodes) => nodes.SelectMany(node => node switch
    {
        ForwardStep step => step.Value.Variables().Append(step.Target),
        ForwardIf branch => ForwardNames(branch.Then).Concat(ForwardNames(branch.Else)).Concat(branch.Merges.Select(m => m.Target)).Append(branch.Taken),
        ForwardLoop loop => ForwardNames(loop.Header).Concat(ForwardNames(loop.Body)).Concat(loop.Tapes.Select(t => t.Name))
            .Concat(loop.Loop.Carried.SelectMany(c => new[] { c.Inside, c.Exit })).Concat(loop.Loop.Counter is { } counter ? [counter] : []),
        _ => [],
    });

    private static IEnumerable<string> BackwardNames(IEnumerable<BackwardNode> nodes) => nodes.SelectMany(node => node switch
    {
        BackwardStep step => step.Accumulations.SelectMany(a => a.Value.Variables()),
        BackwardIf branch => BackwardNames(branch.Then).Concat(BackwardNames(branch.Else)),
        BackwardLoop loop => BackwardNames(loop.Body).Append(loop.Iteration),
        _ => [],
    });
}

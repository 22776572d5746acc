using System.Collections.Generic;
using System.Linq;
using GradGen.Generator.Expressions;
using GradGen.Generator.Model;

namespace GradGen.Generator;

/// <summary>
/// The forward mode of one method, as the emitter writes it: its forward nodes with, after each value that depends on a
/// differentiated parameter, the value's tangent (its directional derivative).
/// </summary>
/// <param name="ParameterTangents">The tangent name of each differentiated parameter, in parameter order.</param>
/// <param name="Nodes">The forward, tangents interleaved; branches merge tangents as they merge values, loops carry them.</param>
/// <param name="ResultTangent">The tangent of the result: a variable, or a literal 0 when the result is constant.</param>
internal sealed record Pushforward(
    IReadOnlyList<(Parameter Parameter, string Tangent)> ParameterTangents,
    IReadOnlyList<ForwardNode> Nodes,
    Expr ResultTangent);

/// <summary>
/// Phase 3, forward mode: pushes tangents through the forward the reverse pass built (the same code in every mode). Each
/// value t = e gets dt = de (<see cref="ExprTangent"/>, from the rule table every mode shares), branches merge tangents as
/// they merge values, loops carry them, a call's value and tangent come from the callee's pushforward. Forward mode needs
/// no tape; second order (<see cref="SecondOrder"/>) keeps the loops' tapes and records tangents beside the values.
/// </summary>
internal sealed class Tangents
{
    private readonly Activity _activity;
    private readonly NameAllocator _names;
    private readonly bool _taped;
    private readonly string _workspace;
    private readonly Dictionary<string, string> _tangents = [];
    private readonly Dictionary<string, CallStep> _calls = [];
    private readonly Dictionary<LoopStep, IReadOnlyList<Tape>> _tapes = new(ReferenceComparer.Instance);
    /// <summary>Per loop (by the name of its first tape), the tapes of tangents it adds: an outer loop records them too.</summary>
    private readonly Dictionary<string, IReadOnlyList<Tape>> _tangentTapes = [];

    /// <param name="names">Names for tangents, avoiding every name the generated method uses.</param>
    /// <param name="taped">Whether loops keep their tapes and record the tangents of the values taped (for a backward after).</param>
    public Tangents(Gradient gradient, NameAllocator names, bool taped)
    {
        _activity = Activity.Of(gradient.Method);
        _names = names;
        _taped = taped;
        _workspace = gradient.Workspace;
        foreach (var call in Calls(gradient.Method.Steps)) _calls[call.Target] = call;
    }

    public static Pushforward Differentiate(Gradient gradient)
    {
        var tangents = new Tangents(gradient, new NameAllocator(gradient.Names()), taped: false);
        var parameters = gradient.ParameterAdjoints.Select(p => (p.Parameter, tangents.Tangent(p.Parameter.Name))).ToList();
        var nodes = tangents.Forward(gradient.Forward);
        return new Pushforward(parameters, nodes, Expr.Of(tangents.TangentOperand(gradient.Method.Result)));
    }

    public List<ForwardNode> Forward(IReadOnlyList<ForwardNode> nodes)
    {
        var result = new List<ForwardNode>();
        foreach (var node in nodes)
        {
            switch (node)
            {
                // A call's value and tangent come from the callee's pushforward.
                case ForwardStep step when _calls.TryGetValue(step.Target, out var call) && _activity.IsActive(step.Target):
                    var args = call.Args.Select(a => a.Value).Concat(call.Args.Where(a => a.Differentiated).Select(a => TangentOperand(a.Value, a.Type, result)).ToList());
                    var types = call.Args.Select(a => a.Type).Concat(call.Args.Where(a => a.Differentiated).Select(a => a.Type));
                    var pushforward = Differentiator.CallOf(call.Pushforward!, args, types);
                    // A callee over matrices takes its matrices from the caller's workspace.
                    if (call.PushforwardTakesWorkspace) pushforward = pushforward with { Args = pushforward.Args.Add(new Variable(_workspace)) };
                    result.Add(new ForwardCall(step.Target, Tangent(step.Target), step.Type, pushforward));
                    break;
                case ForwardStep step:
                    result.Add(step);
                    if (_activity.IsActive(step.Target))
                    {
                        var tangent = _activity.Producers.TryGetValue(step.Target, out var op) && OverMatrices(op)
                            ? RuleTangent(op)
                            : ExprTangent.Of(step.Value, TangentOf, step.Type, new Variable(step.Target));
                        result.Add(new ForwardStep(Tangent(step.Target), step.Type, tangent is null ? 0 : Simplifier.Simplify(tangent)));
                    }
                    break;
                case ForwardIf branch:
                    var (then, otherwise) = (Forward(branch.Then), Forward(branch.Else));
                    var merges = branch.Merges.Concat(branch.Merges.Where(m => _activity.IsActive(m.Target))
                        .Select(m => new Merge(Tangent(m.Target), m.Type, TangentOperand(m.WhenTrue, m.Type, then), TangentOperand(m.WhenFalse, m.Type, otherwise))));
                    result.Add(branch with { Then = then, Else = otherwise, Merges = merges.ToList() });
                    break;
                case ForwardLoop loop:
                    var carried = loop.Loop.Carried.Concat(loop.Loop.Carried.Where(c => _activity.IsActive(c.Exit))
                        .Select(c => new LoopVariable(Tangent(c.Inside), Tangent(c.Exit), c.Type, TangentOperand(c.Initial, c.Type, result), TangentOperand(c.Next))));
                    var header = Forward(loop.Header);
                    var body = Forward(loop.Body);
                    result.Add(new ForwardLoop(loop.Loop with { Carried = carried.ToEquatableArray() }, header, body, _taped ? Taped(loop) : []));
                    break;
                default:
                    result.Add(node);
                    break;
            }
        }
        return result;
    }

    /// <summary>A step over matrices: Σᵢ the rule's pushforward of argument i's tangent (a matrix product's is dA·B + A·dB).</summary>
    private Expr? RuleTangent(OpStep op)
    {
        var rule = DerivativeRules.Get(op.Op);
        var context = _activity.Context(op);
        Expr? sum = null;
        for (var i = 0; i < op.Args.Count; i++)
        {
            if (!_activity.IsActive(op.Args[i])) continue;
            var term = rule.Tangent(i, context, new Variable(Tangent(op.Args[i].Variable!)));
            sum = sum is null ? term : sum + term;
        }
        return sum;
    }

    private bool OverMatrices(OpStep op) =>
        op.Type.IsMatrix() || op.Args.Any(a => a.Variable is { } v && _activity.Types[v].Item().IsMatrix());

    /// <summary>
    /// The tangent of an operand where a matrix tangent must exist (a merge, a loop's initial value, a callee's argument): a
    /// matrix no parameter reaches gets a zero tangent of its shape, computed at the end of <paramref name="nodes"/>.
    /// </summary>
    private Operand TangentOperand(Operand operand, NumType type, List<ForwardNode> nodes)
    {
        if (_activity.IsActive(operand) || !type.IsMatrix() || operand.IsConstant || nodes.LastOrDefault() is ForwardThrow) return TangentOperand(operand);
        var zero = _names.Fresh("d" + operand.Variable!.TrimStart('@') + "_zero");
        nodes.Add(new ForwardStep(zero, type, new Call("global::GradGen.Matrix.ZerosLike", System.Collections.Immutable.ImmutableArray.Create<Expr>(new Variable(operand.Variable)), ReturnsMatrix: true)));
        return Operand.Var(zero);
    }

    /// <summary>
    /// The loop's tapes and, since the backward reads a value's tangent wherever it reads the value, a tape of tangents per
    /// taped value that has one; an inner loop's tapes of tangents wherever its tapes are.
    /// </summary>
    private List<Tape> Taped(ForwardLoop loop)
    {
        var added = loop.Tapes.Where(t => _activity.IsActive(t.Variable))
            .Select(t => new Tape(Tangent(t.Variable), t.Keyword, _names.Fresh(Tangent(t.Variable) + "_tape")))
            .Concat(loop.Tapes.SelectMany(t => _tangentTapes.TryGetValue(t.Variable, out var inner) ? inner : [])
                .Select(t => new Tape(t.Name, t.ListType, _names.Fresh(t.Name + "_tape"))))
            .ToList();
        if (loop.Tapes.Count > 0) _tangentTapes[loop.Tapes[0].Name] = added;
        var tapes = loop.Tapes.Concat(added).ToList();
        _tapes[loop.Loop] = tapes;
        return tapes;
    }

    /// <summary>The tapes a loop of the forward records, tangents included (for its backward).</summary>
    public IReadOnlyList<Tape> TapesOf(LoopStep loop) => _tapes[loop];

    /// <summary>The call step computing a value, if a call computes it.</summary>
    public CallStep CallOf(string target) => _calls[target];

    /// <summary>A value's tangent, or null for a value no differentiated parameter reaches.</summary>
    public Expr? TangentOf(string variable) => _activity.IsActive(variable) ? new Variable(Tangent(variable)) : null;

    /// <summary>The tangent of an operand: its tangent variable, or 0 for a constant or a value no parameter reaches.</summary>
    public Operand TangentOperand(Operand operand) => _activity.IsActive(operand) ? Operand.Var(Tangent(operand.Variable!)) : Operand.Const(0);

    /// <summary>The variable's tangent, named <paramref name="prefix"/> + its name the first time it is asked for.</summary>
    public string Tangent(string variable, string prefix = "d") =>
        _tangents.TryGetValue(variable, out var name) ? name : _tangents[variable] = _names.Fresh(prefix + variable.TrimStart('@'));

    private static IEnumerable<CallStep> Calls(IEnumerable<Step> steps) => steps.SelectMany(step => step switch
    {
        CallStep call => [call],
        IfStep branch => Calls(branch.Then).Concat(Calls(branch.Else)),
        LoopStep loop => Calls(loop.Header).Concat(Calls(loop.Body)),
        _ => Enumerable.Empty<CallStep>(),
    });
}

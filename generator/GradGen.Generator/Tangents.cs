using System;
using System.Collections.Generic;
using System.Collections.Immutable;
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
/// Phase 3, forward mode: each step's tangent is Σᵢ ∂step/∂argᵢ · tangent(argᵢ), from the same local derivatives as
/// reverse mode (<see cref="DerivativeRules"/>): one rule per operation serves both. Tangents need no tape: a loop carries
/// them from one iteration to the next as it carries the values.
/// </summary>
internal sealed class Tangents
{
    private readonly Activity _activity;
    private readonly Dictionary<string, string> _tangents = [];
    private readonly NameAllocator _names;

    private Tangents(MethodModel method)
    {
        _activity = Activity.Of(method);
        _names = new NameAllocator(_activity.Types.Keys);
    }

    public static Pushforward Differentiate(MethodModel method) => new Tangents(method).Run(method);

    private Pushforward Run(MethodModel method)
    {
        var parameters = method.Parameters.Where(p => p.IsDifferentiated).Select(p => (p, TangentOf(p.Name))).ToList();
        var nodes = Forward(method.Steps);
        return new Pushforward(parameters, nodes, Expr.Of(TangentOperand(method.Result)));
    }

    private bool IsActive(Operand operand) => _activity.IsActive(operand);

    private List<ForwardNode> Forward(IEnumerable<Step> steps)
    {
        var nodes = new List<ForwardNode>();
        foreach (var step in steps)
        {
            switch (step)
            {
                case OpStep op:
                    var context = _activity.Context(op);
                    var rule = DerivativeRules.Get(op.Op);
                    nodes.Add(new ForwardStep(op.Target, op.Type, rule.Forward(context)));
                    if (_activity.IsActive(op.Target)) nodes.Add(new ForwardStep(TangentOf(op.Target), op.Type, Simplifier.Simplify(TangentOf(op, rule, context))));
                    break;
                case IfStep branch:
                    var merges = branch.Merges.Concat(branch.Merges.Where(m => _activity.IsActive(m.Target))
                        .Select(m => new Merge(TangentOf(m.Target), m.Type, TangentOperand(m.WhenTrue), TangentOperand(m.WhenFalse))));
                    nodes.Add(new ForwardIf(_names.Fresh("taken"), branch.Condition, Forward(branch.Then), Forward(branch.Else), merges.ToList()));
                    break;
                case LoopStep loop:
                    // Tangents are carried like the values they belong to; nothing is recorded for a backward pass.
                    var carried = loop.Carried.Concat(loop.Carried.Where(c => _activity.IsActive(c.Exit))
                        .Select(c => new LoopVariable(TangentOf(c.Inside), TangentOf(c.Exit), c.Type, TangentOperand(c.Initial), TangentOperand(c.Next))));
                    var withTangents = loop with { Carried = carried.ToEquatableArray() };
                    nodes.Add(new ForwardLoop(withTangents, Forward(loop.Header), Forward(loop.Body), Array.Empty<Tape>()));
                    break;
                case ThrowStep:
                    nodes.Add(new ForwardThrow());
                    break;
                case CallStep call when _activity.IsActive(call.Target):
                    // The callee's pushforward: its arguments, then the tangent of each argument it differentiates.
                    var args = call.Args.Select(a => a.Value).Concat(call.Args.Where(a => a.Differentiated).Select(a => TangentOperand(a.Value)));
                    var types = call.Args.Select(a => a.Type).Concat(call.Args.Where(a => a.Differentiated).Select(a => a.Type));
                    nodes.Add(new ForwardCall(call.Target, TangentOf(call.Target), call.Type, Differentiator.CallOf(call.Pushforward!, args, types)));
                    break;
                case CallStep call:
                    // A constant of the derivative ([NoDerivative] callee, or no argument that carries a tangent).
                    nodes.Add(new ForwardStep(call.Target, call.Type, Differentiator.CallOf(call.Function, call.Args.Select(a => a.Value), call.Args.Select(a => a.Type))));
                    break;
            }
        }
        return nodes;
    }

    /// <summary>Σᵢ ∂step/∂argᵢ · tangent(argᵢ) over the active arguments, each converted to the step's type if it is of another.</summary>
    private Expr TangentOf(OpStep op, DerivativeRule rule, RuleContext context)
    {
        Expr? sum = null;
        for (var i = 0; i < op.Args.Count; i++)
        {
            if (!IsActive(op.Args[i])) continue;
            var argument = rule.Arguments[i];
            var partial = argument.Partial ?? throw new InvalidOperationException($"The rule {op.Op} has no local derivative (a matrix rule).");
            // An array's item has the same item of the array's tangent as its tangent.
            Expr tangent = argument.At is { } at ? new Element(new Variable(TangentOf(op.Args[i].Variable!)), at(context)) : new Variable(TangentOf(op.Args[i].Variable!));
            if (context.ArgTypes[i].Item() != op.Type) tangent = new Cast(op.Type, context.ArgTypes[i].Item(), tangent);
            var term = partial(context) * tangent;
            sum = sum is null ? term : sum + term;
        }
        return sum ?? 0;
    }

    /// <summary>The tangent of an operand: its tangent variable, or 0 for a constant or a value no parameter reaches.</summary>
    private Operand TangentOperand(Operand operand) => IsActive(operand) ? Operand.Var(TangentOf(operand.Variable!)) : Operand.Const(0);

    private string TangentOf(string variable) =>
        _tangents.TryGetValue(variable, out var name) ? name : _tangents[variable] = _names.Fresh("d" + variable.TrimStart('@'));
}

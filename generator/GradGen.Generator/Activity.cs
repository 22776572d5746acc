using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GradGen.Generator.Expressions;
using GradGen.Generator.Model;

namespace GradGen.Generator;

/// <summary>
/// What both modes know of a method before differentiating it: each variable's type, the operation producing it, and
/// which values depend on a differentiated parameter through differentiable operations (only those get adjoints or
/// tangents).
/// </summary>
internal sealed class Activity
{
    public Dictionary<string, NumType> Types { get; }

    /// <summary>The step computing each operation's result (for fused rules, which look at the step before).</summary>
    public Dictionary<string, OpStep> Producers { get; } = [];

    private readonly HashSet<string> _active;

    private Activity(MethodModel method)
    {
        Types = method.Parameters.ToDictionary(p => p.Name, p => p.Type);
        _active = new HashSet<string>(method.Parameters.Where(p => p.IsDifferentiated).Select(p => p.Name));
        Analyze(method.Steps);
        // A loop feeds its values back into itself: repeat until no more values become active.
        int before;
        do
        {
            before = _active.Count;
            Activate(method.Steps);
        }
        while (_active.Count != before);
    }

    public static Activity Of(MethodModel method) => new(method);

    public bool IsActive(string variable) => _active.Contains(variable);

    public bool IsActive(Operand operand) => operand.Variable is { } name && _active.Contains(name);

    /// <summary>The operands, result and types of a step, as its rule sees them.</summary>
    public RuleContext Context(OpStep step) => new(
        step.Args.Select(Expr.Of).ToImmutableArray(),
        new Variable(step.Target),
        step.Type,
        step.Args.Select(a => a.IsConstant ? step.Type : Types[a.Variable!]).ToImmutableArray());

    private void Analyze(IEnumerable<Step> steps)
    {
        foreach (var step in steps)
        {
            switch (step)
            {
                case OpStep op:
                    Types[op.Target] = op.Type;
                    Producers[op.Target] = op;
                    break;
                case CallStep call:
                    Types[call.Target] = call.Type;
                    break;
                case IfStep branch:
                    Analyze(branch.Then);
                    Analyze(branch.Else);
                    foreach (var merge in branch.Merges) Types[merge.Target] = merge.Type;
                    break;
                case LoopStep loop:
                    if (loop.Counter is { } counter) Types[counter] = NumType.Int;
                    foreach (var carried in loop.Carried) Types[carried.Inside] = Types[carried.Exit] = carried.Type;
                    Analyze(loop.Header);
                    Analyze(loop.Body);
                    break;
            }
        }
    }

    /// <summary>
    /// Marks the values that depend on a differentiated parameter. A call carries a derivative when the callee has a
    /// pullback (in a method with forward mode, the parser has checked it has a pushforward too) and reads one: an
    /// argument, or the parameters of the model it is called on.
    /// </summary>
    private void Activate(IEnumerable<Step> steps)
    {
        foreach (var step in steps)
        {
            switch (step)
            {
                // Integers are data: a conversion to int, (int)x, is piecewise constant.
                case OpStep op when !DerivativeRules.Get(op.Op).IsConstant && op.Type.IsDifferentiable() && op.Args.Any(IsActive):
                    _active.Add(op.Target);
                    break;
                // A model's method called on a model reads that model's parameters, which are differentiated.
                case CallStep call when call.Pullback is not null && (call.Receiver is not null || call.Args.Any(a => a.Differentiated && IsActive(a.Value))):
                    _active.Add(call.Target);
                    break;
                case IfStep branch:
                    Activate(branch.Then);
                    Activate(branch.Else);
                    foreach (var merge in branch.Merges.Where(m => IsActive(m.WhenTrue) || IsActive(m.WhenFalse))) _active.Add(merge.Target);
                    break;
                case LoopStep loop:
                    foreach (var carried in loop.Carried.Where(c => IsActive(c.Initial) || IsActive(c.Next)))
                    {
                        _active.Add(carried.Inside);
                        _active.Add(carried.Exit);
                    }
                    Activate(loop.Header);
                    Activate(loop.Body);
                    break;
            }
        }
    }
}

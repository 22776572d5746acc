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
/// (<see cref="ExprTangent"/>): its forward gets the tangents of forward mode (<see cref="Tangents"/>, loops recording the
/// tangents their backward reads beside the values), and each adjoint contribution a += e of its backward gets
/// Hv_a += de. With the incoming adjoint 1 (tangent 0), the parameters' adjoints are the gradient and their tangents H·v,
/// exactly, for about 1.5 times the cost of a gradient.
/// </summary>
internal sealed class SecondOrder
{
    private readonly Tangents _tangents;
    private readonly NameAllocator _names;
    private readonly Dictionary<string, string> _adjointTangents = [];

    private SecondOrder(Gradient gradient)
    {
        _names = new NameAllocator(gradient.Names());
        _tangents = new Tangents(gradient, _names, taped: true);
        foreach (var adjoint in gradient.Adjoints()) _adjointTangents[adjoint] = "";
    }

    public static HessianVector Differentiate(Gradient gradient) => new SecondOrder(gradient).Run(gradient);

    /// <summary>What second order does not cover in the method (a runtime function without a tangent rule), or null.</summary>
    public static string? Uncovered(MethodModel method)
    {
        try
        {
            Differentiate(Simplifier.Simplify(Differentiator.Differentiate(method)));
            return null;
        }
        catch (NoTangentException e)
        {
            return $"the tangent of '{e.Function}' (in its gradient)";
        }
    }

    private HessianVector Run(Gradient gradient)
    {
        var parameters = gradient.ParameterAdjoints
            .Select(p => (p.Parameter, Direction: _tangents.Tangent(p.Parameter.Name, prefix: "v"), Product: AdjointTangent(p.Adjoint)))
            .ToList();
        var upstream = AdjointTangent(gradient.Upstream);
        var forward = _tangents.Forward(gradient.Forward);
        var backward = Backward(gradient.Steps);
        return new HessianVector(gradient with { Forward = forward, Steps = backward }, parameters, upstream);
    }

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
                    result.Add(HessianCall(call, result));
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
                    result.Add(loop with { Tapes = _tangents.TapesOf(loop.Loop), Body = Backward(loop.Body) });
                    break;
            }
        }
        return result;
    }

    /// <summary><c>da += d(value)</c> for <c>a += value</c>; null when the tangent is zero and nothing needs declaring.</summary>
    private Accumulation? TangentOf(Accumulation accumulation)
    {
        var type = accumulation.Type.Item();
        var tangent = ExprTangent.Of(accumulation.Value, TangentOf, type);
        if (tangent is null && !accumulation.Declare) return null;
        var zero = type.IsMatrix() ? new Call("global::GradGen.Matrix.ZerosLike", System.Collections.Immutable.ImmutableArray.Create<Expr>(new Variable(accumulation.Argument)), ReturnsMatrix: true) : (Expr)0;
        return accumulation with { Adjoint = AdjointTangent(accumulation.Adjoint), Partial = null, Value = tangent is null ? zero : Simplifier.Simplify(tangent) };
    }

    /// <summary>
    /// The callee's pullback with tangents: its arguments and their tangents, the adjoint and its tangent. A matrix argument
    /// no parameter reaches gets a zero tangent of its shape, declared before the call (in <paramref name="nodes"/>).
    /// </summary>
    private BackwardCall HessianCall(BackwardCall call, List<BackwardNode> nodes)
    {
        var step = _tangents.CallOf(call.Target);
        var upstream = ((Variable)call.Pullback.Args[call.Pullback.Args.Length - 1]).Name;
        Operand TangentOf(CallArgument a)
        {
            var tangent = _tangents.TangentOperand(a.Value);
            if (!tangent.IsConstant || !a.Type.IsMatrix() || a.Value.IsConstant) return tangent;
            var zero = _names.Fresh("d" + a.Value.Variable!.TrimStart('@') + "_zero");
            nodes.Add(new ZeroAdjoint(a.Value.Variable!, zero, a.Type));
            return Operand.Var(zero);
        }
        var args = step.Args.Select(a => a.Value)
            .Concat(step.Args.Where(a => a.Differentiated).Select(TangentOf).ToList())
            .Concat([Operand.Var(upstream), Operand.Var(AdjointTangent(upstream))]);
        var types = step.Args.Select(a => a.Type).Concat(step.Args.Where(a => a.Differentiated).Select(a => a.Type)).Concat([step.Type, step.Type]);
        return call with
        {
            Pullback = Differentiator.CallOf(step.HessianPullback!, args, types),
            Adjoints = call.Adjoints.Concat(call.Adjoints.Select(AdjointTangent)).ToList(),
        };
    }

    /// <summary>A variable's tangent in the backward: an adjoint's, a forward value's, or none (null).</summary>
    private Expr? TangentOf(string variable) =>
        _adjointTangents.ContainsKey(variable) ? new Variable(AdjointTangent(variable)) : _tangents.TangentOf(variable);

    /// <summary>The tangent of adjoint dL_dv is Hv_v: for a parameter, its component of H·v.</summary>
    private string AdjointTangent(string adjoint)
    {
        if (_adjointTangents.TryGetValue(adjoint, out var name) && name.Length > 0) return name;
        var stem = adjoint.StartsWith("dL_d", StringComparison.Ordinal) ? adjoint.Substring(4) : adjoint;
        return _adjointTangents[adjoint] = _names.Fresh("Hv_" + stem);
    }
}

using System.Collections.Generic;
using System.Linq;
using GradGen.Generator.Expressions;
using GradGen.Generator.Model;

namespace GradGen.Generator;

/// <summary>The reverse pass of one method, as the differentiator builds it and the emitter writes it.</summary>
/// <param name="ParameterAdjoints">The adjoint name of each differentiated parameter, in parameter order.</param>
/// <param name="Upstream">The name of the pullback's incoming adjoint, dL/d(result).</param>
/// <param name="Forward">The forward steps, in order, as expressions.</param>
/// <param name="Steps">Backward steps, in reverse order of the forward steps they undo.</param>
/// <param name="Workspace">The name of the pullback's workspace parameter (see <c>GradGen.Workspace</c>).</param>
internal sealed record Gradient(
    MethodModel Method,
    IReadOnlyList<ForwardNode> Forward,
    IReadOnlyList<(Parameter Parameter, string Adjoint)> ParameterAdjoints,
    string Upstream,
    IReadOnlyList<BackwardNode> Steps,
    string Workspace)
{
    /// <summary>Every adjoint the pullback declares or receives.</summary>
    public IEnumerable<string> Adjoints() => ParameterAdjoints.Select(p => p.Adjoint).Append(Upstream).Concat(Adjoints(Steps));

    /// <summary>Every name the pullback uses, so that the names other modes add take none of them.</summary>
    public IEnumerable<string> Names() =>
        Method.Parameters.Select(p => p.Name).Concat(Adjoints()).Append(Workspace).Concat(Names(Forward)).Concat(Names(Steps));

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

    private static IEnumerable<string> Names(IEnumerable<ForwardNode> nodes) => nodes.SelectMany(node => node switch
    {
        ForwardStep step => step.Value.Variables().Append(step.Target),
        ForwardIf branch => Names(branch.Then).Concat(Names(branch.Else)).Concat(branch.Merges.Select(m => m.Target)).Append(branch.Taken),
        ForwardLoop loop => Names(loop.Header).Concat(Names(loop.Body)).Concat(loop.Tapes.Select(t => t.Name))
            .Concat(loop.Loop.Carried.SelectMany(c => new[] { c.Inside, c.Exit })).Concat(loop.Loop.Counter is { } counter ? [counter] : []),
        _ => [],
    });

    private static IEnumerable<string> Names(IEnumerable<BackwardNode> nodes) => nodes.SelectMany(node => node switch
    {
        BackwardStep step => step.Accumulations.SelectMany(a => a.Value.Variables()),
        BackwardIf branch => Names(branch.Then).Concat(Names(branch.Else)),
        BackwardLoop loop => Names(loop.Body).Append(loop.Iteration),
        _ => [],
    });
}

internal abstract record ForwardNode;

/// <summary><c>Type Target = Value;</c></summary>
internal sealed record ForwardStep(string Target, NumType Type, Expr Value) : ForwardNode;

/// <summary><c>(Target, Tangent) = Call;</c>: a callee's pushforward, giving a value and its tangent at once.</summary>
internal sealed record ForwardCall(string Target, string Tangent, NumType Type, Call Call) : ForwardNode;

/// <summary>The forward throws: it calls the method, which throws the same exception at the same place.</summary>
internal sealed record ForwardThrow : ForwardNode;

/// <summary>
/// <c>bool Taken = Condition; if (Taken) { Then; merges } else { Else; merges }</c>. The backward branches on the
/// same <see cref="Taken"/>, so only the branch that ran is differentiated.
/// </summary>
internal sealed record ForwardIf(string Taken, Condition Condition, IReadOnlyList<ForwardNode> Then, IReadOnlyList<ForwardNode> Else, IReadOnlyList<Merge> Merges) : ForwardNode;

/// <summary>
/// A loop of the forward: <c>for (int Counter = From; Condition; Counter += Increment)</c> or <c>while (true) { Header;
/// if (!Condition) break; … }</c>. Each iteration starts by copying the carried variables' values into their inside
/// names, runs the body, pushes every value the backward needs onto the <see cref="Tapes"/>, and ends by moving the
/// carried variables' next values into their exit names.
/// </summary>
internal sealed record ForwardLoop(LoopStep Loop, IReadOnlyList<ForwardNode> Header, IReadOnlyList<ForwardNode> Body, IReadOnlyList<Tape> Tapes) : ForwardNode;

/// <summary>The values of <see cref="Variable"/> (a C# <see cref="Keyword"/>), one per iteration, in the list <see cref="Name"/>.</summary>
internal sealed record Tape(string Variable, string Keyword, string Name)
{
    public string ListType => "global::System.Collections.Generic.List<" + Keyword + ">";
}

internal abstract record BackwardNode;

/// <summary>
/// The backward of a loop: its iterations in reverse order, each restoring from the tapes the values the forward had
/// in that iteration, then undoing the body.
/// </summary>
internal sealed record BackwardLoop(LoopStep Loop, string Iteration, IReadOnlyList<Tape> Tapes, IReadOnlyList<BackwardNode> Body) : BackwardNode;

/// <summary><c>Target = Source;</c>: a loop-carried adjoint handed to the previous iteration.</summary>
internal sealed record AssignAdjoint(string Target, string Source) : BackwardNode;

/// <summary>The backward of one forward step: <c>Target = Forward</c>, and one accumulation per active argument.</summary>
/// <param name="FusedWith">The activation differentiated together with this step (see <see cref="FusedRule"/>), if any.</param>
internal sealed record BackwardStep(string Target, Expr Forward, NumType Type, IReadOnlyList<Accumulation> Accumulations, ForwardStep? FusedWith = null) : BackwardNode;

/// <summary>The backward of a <see cref="ForwardIf"/>: the branch taken in the forward, undone.</summary>
internal sealed record BackwardIf(string Taken, IReadOnlyList<BackwardNode> Then, IReadOnlyList<BackwardNode> Else) : BackwardNode;

/// <summary>The backward of a call: the callee's pullback, adding to the <paramref name="Adjoints"/> of its differentiated arguments.</summary>
/// <param name="Forward">The forward call, for the comment.</param>
/// <param name="TakesWorkspace">Whether the pullback takes the caller's workspace after the adjoints.</param>
/// <param name="Gradient">For a model's method: the part of the caller's gradient the callee's adds to (<c>gradient.Layers[i]</c>), passed after the adjoints.</param>
/// <param name="Generated">Whether the pullback is a generated one, which takes a null matrix adjoint as zero (a user's rule may not).</param>
internal sealed record BackwardCall(string Target, Expr Forward, Call Pullback, IReadOnlyList<string> Adjoints, bool TakesWorkspace, Expr? Gradient = null, bool Generated = false) : BackwardNode;

/// <summary>
/// <c>Type Adjoint = 0;</c> (a matrix: <c>Variable.ZerosLike()</c>) before a branch, for a variable that receives
/// contributions inside it, and before a call, for an adjoint the callee's pullback adds to.
/// </summary>
internal sealed record ZeroAdjoint(string Variable, string Adjoint, NumType Type) : BackwardNode;

/// <summary><c>Adjoint += Value</c> (or a declaration if <see cref="Declare"/>), where Value = adjoint(target) · Partial.</summary>
/// <param name="Argument">The forward variable whose adjoint receives the contribution.</param>
/// <param name="Partial">The local derivative for the comment; null for matrix rules, which give the product directly.</param>
/// <param name="At">For an array, the index of the item that receives the contribution: <c>Adjoint[At] += Value</c>.</param>
/// <param name="Made">The variable that holds Value already, a new matrix, made by an earlier call (see <see cref="BackwardFusion"/>); Value is then for the comment.</param>
internal sealed record Accumulation(string Argument, string Adjoint, NumType Type, Expr? Partial, Expr Value, bool Declare, Expr? At = null, string? Made = null);

internal static class ForwardNodes
{
    /// <summary>
    /// The variables the nodes declare in their scope, with their C# types: steps' targets, branches' flags, and
    /// variables assigned inside branches; a loop's exit values and tapes (its body's values live inside it).
    /// </summary>
    public static IEnumerable<(string Name, string Keyword)> Declared(IEnumerable<ForwardNode> nodes) => nodes.SelectMany(node => node switch
    {
        ForwardStep step => [(step.Target, step.Type.Keyword())],
        ForwardCall call => [(call.Target, call.Type.Keyword()), (call.Tangent, call.Type.Keyword())],
        ForwardIf branch => new[] { (branch.Taken, "bool") }.Concat(Declared(branch.Then)).Concat(Declared(branch.Else))
            .Concat(branch.Merges.Select(m => (m.Target, m.Type.Keyword()))),
        ForwardLoop loop => loop.Loop.Carried.Select(c => (c.Exit, c.Type.Keyword())).Concat(loop.Tapes.Select(t => (t.Name, t.ListType))),
        _ => Enumerable.Empty<(string, string)>(),
    });
}

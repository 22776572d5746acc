using System.Collections.Generic;
using System.Linq;
using GradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GradGen.Generator;

/// <summary>
/// A model's method called on the model or one of its layers (<c>Logits(x)</c>, <c>Hidden.Forward(h)</c>) is read in
/// place, as if its body were written at the call: its members become the caller's member parameters under the layer's
/// path (<c>this.Hidden.Weight</c>). The caller's backward is then one piece of textbook formulas: no forward run twice
/// (once for the value, again in the callee's pullback), no adjoint computed for an argument that is data. What cannot be
/// read in place (a loop over an array of layers, a body with early returns, a [NoDerivative] parameter given a value
/// that carries a derivative, recursion) stays a call of the callee's pullback.
/// </summary>
internal sealed partial class Parser
{
    /// <summary>The methods being read in place, innermost last: a method never reads itself in place.</summary>
    private readonly List<IMethodSymbol> _inlined = [];

    /// <summary>The method's declared parameters (data or not), for <see cref="IsData"/>.</summary>
    private EquatableArray<Parameter> _parameters;

    /// <summary>How deeply calls are read in place (layers of layers of…) before they stay calls.</summary>
    private const int MaxInlining = 8;

    /// <summary>The callee's result read in place, or null (nothing added, nothing reported) to call it instead.</summary>
    private Value? Inline(IMethodSymbol callee, Receiver receiver, Value[] arguments, List<bool> differentiated, string? name)
    {
        if (_inlined.Count >= MaxInlining || _inlined.Contains(callee.OriginalDefinition, SymbolEqualityComparer.Default)) return null;
        if (callee.DeclaringSyntaxReferences.Length != 1 || callee.DeclaringSyntaxReferences[0].GetSyntax(_cancellation) is not MethodDeclarationSyntax syntax) return null;
        _bodiesRead.Add(syntax.SyntaxTree);
        var body = syntax.ExpressionBody?.Expression;
        var statements = syntax.Body?.Statements;
        // A block reads in place when it returns once, at its end: then no path's exit needs a flag.
        if (statements is { } block && (block.LastOrDefault() is not ReturnStatementSyntax { Expression: not null }
            || syntax.Body!.DescendantNodes().Count(n => n is ReturnStatementSyntax or ThrowStatementSyntax or ThrowExpressionSyntax) != 1))
        {
            return null;
        }
        if (body is null && statements is null || body?.DescendantNodesAndSelf().Any(n => n is ThrowExpressionSyntax) == true) return null;
        // A [NoDerivative] parameter stops the derivative: read in place, only a value that carries none may be passed to it.
        for (var i = 0; i < arguments.Length; i++)
        {
            if (!differentiated[i] && arguments[i].Type.IsDifferentiable() && !IsData(arguments[i].Operand)) return null;
        }

        var saved = (_semantics, _self, _exit, _loopDepth, _branchDepth, _hasCompilerErrors, _tooDeep, Steps: _steps.Count, Diagnostics: _diagnostics.Count, Members: _members.Keys.ToList());
        _semantics = _semantics.Compilation.GetSemanticModel(syntax.SyntaxTree);
        _self = (receiver.Path, callee.ContainingType);
        _inlined.Add(callee.OriginalDefinition);
        // Its statements are read as a branch's (its return value a temporary), outside any loop (its return is no loop's).
        (_exit, _loopDepth, _branchDepth) = (Exit.None, 0, 1);
        Value? result = null;
        try
        {
            for (var i = 0; i < arguments.Length; i++) _values[callee.Parameters[i]] = Convert(arguments[i], TypeOf(callee.Parameters[i].Type)!.Value);
            if (body is not null)
            {
                result = Visit(body, name);
            }
            else
            {
                VisitStatements(statements!);
                result = _exit is { HasReturned: true, Result: { } value } ? value : null;
            }
        }
        finally
        {
            _inlined.RemoveAt(_inlined.Count - 1);
            (_semantics, _self, _exit, _loopDepth, _branchDepth) = (saved._semantics, saved._self, saved._exit, saved._loopDepth, saved._branchDepth);
        }
        if (result is { } read && _diagnostics.Count == saved.Diagnostics && _hasCompilerErrors == saved._hasCompilerErrors && !_tooDeep) return read;

        // Not readable in place: undo what was read; the call reports nothing of the callee's (its own parse does).
        _steps.RemoveRange(saved.Steps, _steps.Count - saved.Steps);
        _diagnostics.RemoveRange(saved.Diagnostics, _diagnostics.Count - saved.Diagnostics);
        (_hasCompilerErrors, _tooDeep) = (saved._hasCompilerErrors, saved._tooDeep);
        foreach (var path in _members.Keys.Except(saved.Members).ToList()) _members.Remove(path);
        return null;
    }

    /// <summary>Whether a value carries no derivative for sure: a constant, or a parameter or member that is data.</summary>
    private bool IsData(Operand operand) =>
        operand.IsConstant
        || _parameters.Any(p => p.Name == operand.Variable && !p.IsDifferentiated)
        || _members.Values.Any(p => p.Name == operand.Variable && !p.IsDifferentiated);
}

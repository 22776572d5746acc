using System;
using System.Collections.Generic;
using System.Linq;
using GradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GradGen.Generator;

/// <summary>Branches: <c>if</c>/<c>else</c>, the conditional operator, their conditions and the merges (SSA φs) after them.</summary>
internal sealed partial class Parser
{
    /// <summary>
    /// Reads both branches into their own step lists; a variable they leave with different values gets a merge
    /// (an SSA φ), and so do the returned flag and the result when a branch returned.
    /// </summary>
    private void VisitIf(ExpressionSyntax conditionSyntax, IReadOnlyList<StatementSyntax> whenTrue, IReadOnlyList<StatementSyntax> whenFalse)
    {
        if (VisitCondition(conditionSyntax) is not { } condition)
        {
            _exit = Exit.Failed;
            return;
        }
        VisitIf(condition, whenTrue, whenFalse, _exit, _exit);
    }

    /// <param name="thenStart">What is known of the paths' exits when the true side starts (the returned flag, inside a guard on it).</param>
    private void VisitIf(Condition condition, IReadOnlyList<StatementSyntax> whenTrue, IReadOnlyList<StatementSyntax> whenFalse, Exit thenStart, Exit elseStart)
    {
        var (thenSteps, thenValues, thenExit, _) = VisitBranch(() => { VisitStatements(whenTrue); return true; }, thenStart);
        var (elseSteps, elseValues, elseExit, _) = VisitBranch(() => { VisitStatements(whenFalse); return true; }, elseStart);

        var merges = new List<Merge>();
        // Variables both branches can see afterwards: declared before the 'if' and assigned on both paths.
        foreach (var symbol in thenValues.Keys.Where(elseValues.ContainsKey).ToList())
        {
            if (_values.TryGetValue(symbol, out var before) && thenValues[symbol] == before && elseValues[symbol] == before) continue;
            _values[symbol] = Merge(merges, Identifier(symbol.Name), thenValues[symbol], elseValues[symbol]);
        }
        var returned = Merge(merges, "returned", new Value(thenExit.Returned, NumType.Int), new Value(elseExit.Returned, NumType.Int));
        // A side that has not returned yet has no result: a placeholder the paths that reach it overwrite.
        var resultType = TypeOf(_method.ReturnType)!.Value;
        var result = (thenExit.Result, elseExit.Result) switch
        {
            (null, null) => (Value?)null,
            var (t, e) => Merge(merges, "result", t ?? new Value(Operand.Const(0), resultType), e ?? new Value(Operand.Const(0), resultType)),
        };
        _exit = thenExit.IsFailed || elseExit.IsFailed ? Exit.Failed : new Exit(returned.Operand, result);
        _steps.Add(new IfStep(condition, thenSteps, elseSteps, merges.ToEquatableArray()));
    }

    /// <summary>The value after a branch: the branches' common value, or a merge (an SSA φ) of their two values.</summary>
    private Value Merge(List<Merge> merges, string? name, Value whenTrue, Value whenFalse)
    {
        if (whenTrue.Operand == whenFalse.Operand) return whenTrue;
        var target = name is null ? _names.Temp() : _names.Fresh(name);
        merges.Add(new Merge(target, whenTrue.Type, whenTrue.Operand, whenFalse.Operand));
        return new Value(Operand.Var(target), whenTrue.Type);
    }

    /// <summary>Reads one branch into its own steps, starting from the current values; restores the outer block after.</summary>
    private (EquatableArray<Step> Steps, Dictionary<ISymbol, Value> Values, Exit Exit, T Result) VisitBranch<T>(Func<T> visit, Exit start)
    {
        var (steps, values, exit) = (_steps, _values, _exit);
        _steps = [];
        _values = new Dictionary<ISymbol, Value>(values, SymbolEqualityComparer.Default);
        _exit = start;
        _branchDepth++;
        try
        {
            var result = visit();
            return (_steps.ToEquatableArray(), _values, _exit, result);
        }
        finally
        {
            (_steps, _values, _exit) = (steps, values, exit);
            _branchDepth--;
        }
    }

    /// <summary>A branch condition: comparisons of scalar values joined by !, &amp;&amp; and ||.</summary>
    private Condition? VisitCondition(ExpressionSyntax syntax)
    {
        if (!HasStackFor(syntax)) return null;
        if (_semantics.GetConstantValue(syntax, _cancellation) is { HasValue: true, Value: bool constant }) return new BoolConstant(constant);
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return VisitCondition(parenthesized.Expression);
            case PrefixUnaryExpressionSyntax not when not.IsKind(SyntaxKind.LogicalNotExpression):
                return VisitCondition(not.Operand) is { } operand ? new Not(operand) : null;
            case BinaryExpressionSyntax logical when logical.IsKind(SyntaxKind.LogicalAndExpression) || logical.IsKind(SyntaxKind.LogicalOrExpression):
                var left = VisitCondition(logical.Left);
                var right = VisitCondition(logical.Right);
                return left is null || right is null ? null : new Logical(logical.OperatorToken.ValueText, left, right);
            case BinaryExpressionSyntax comparison when comparison.Kind() is SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression
                or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression or SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression
                && !IsMatrix(comparison.Left) && !IsMatrix(comparison.Right):
                if (Visit(comparison.Left, null) is not { } a || Visit(comparison.Right, null) is not { } b) return null;
                var type = a.Type == NumType.Int && b.Type == NumType.Int ? NumType.Int : NumType.Double;
                return new Comparison(comparison.OperatorToken.ValueText, a.Operand, b.Operand, type);
            default:
                if (_semantics.GetTypeInfo(syntax, _cancellation).Type is null or IErrorTypeSymbol)
                {
                    _hasCompilerErrors = true;
                    return null;
                }
                Report(DiagnosticDescriptors.UnsupportedExpression, syntax, $"the condition '{syntax}'",
                    "a branch condition compares 'double' or 'float' values with <, <=, >, >=, == or != and joins comparisons with !, && and ||");
                return null;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
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
    /// (an SSA φ). When both branches return, the returned values merge into the method's result.
    /// </summary>
    private Value? VisitIf(ExpressionSyntax conditionSyntax, IReadOnlyList<StatementSyntax> whenTrue, IReadOnlyList<StatementSyntax> whenFalse, bool returns)
    {
        if (VisitCondition(conditionSyntax) is not { } condition) return null;
        var (thenSteps, thenValues, thenResult) = VisitBranch(() => VisitStatements(whenTrue));
        var (elseSteps, elseValues, elseResult) = VisitBranch(() => VisitStatements(whenFalse));

        var merges = new List<Merge>();
        // Variables both branches can see afterwards: declared before the 'if' and assigned on both paths.
        foreach (var symbol in thenValues.Keys.Where(elseValues.ContainsKey).ToList())
        {
            if (_values.TryGetValue(symbol, out var before) && thenValues[symbol] == before && elseValues[symbol] == before) continue;
            if (thenValues[symbol].Operand == elseValues[symbol].Operand)
            {
                _values[symbol] = thenValues[symbol];
                continue;
            }
            var type = TypeOf(TypeOfSymbol(symbol))!.Value;
            _values[symbol] = Merge(merges, Identifier(symbol.Name), type, thenValues[symbol], elseValues[symbol]);
        }
        Value? result = null;
        if (returns && thenResult is { } t && elseResult is { } e)
        {
            result = Merge(merges, "result", TypeOf(_method.ReturnType)!.Value, t, e);
        }
        _steps.Add(new IfStep(condition, thenSteps, elseSteps, merges.ToEquatableArray()));
        return result;
    }

    private Value Merge(List<Merge> merges, string? name, NumType type, Value whenTrue, Value whenFalse)
    {
        var target = name is null ? _names.Temp() : _names.Fresh(name);
        merges.Add(new Merge(target, type, whenTrue.Operand, whenFalse.Operand));
        return new Value(Operand.Var(target), type);
    }

    /// <summary>Reads one branch into its own steps, starting from the current values; restores the outer block after.</summary>
    private (EquatableArray<Step> Steps, Dictionary<ISymbol, Value> Values, Value? Result) VisitBranch(Func<Value?> visit)
    {
        var (steps, values) = (_steps, _values);
        _steps = [];
        _values = new Dictionary<ISymbol, Value>(values, SymbolEqualityComparer.Default);
        _branchDepth++;
        try
        {
            var result = visit();
            return (_steps.ToEquatableArray(), _values, result);
        }
        finally
        {
            (_steps, _values) = (steps, values);
            _branchDepth--;
        }
    }

    /// <summary>A branch condition: comparisons of scalar values joined by !, &amp;&amp; and ||.</summary>
    private Condition? VisitCondition(ExpressionSyntax syntax)
    {
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

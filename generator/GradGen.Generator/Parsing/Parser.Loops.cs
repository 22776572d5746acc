using System;
using System.Collections.Generic;
using System.Linq;
using GradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GradGen.Generator;

/// <summary>Loops: <c>for</c> and <c>while</c>, with the variables they carry from one iteration to the next.</summary>
internal sealed partial class Parser
{
    /// <summary><c>for (int i = from; condition; i++ / i-- / i += 1 / i -= 1)</c>.</summary>
    private void VisitFor(ForStatementSyntax loop)
    {
        var counter = loop.Declaration?.Variables.Count == 1 && loop.Initializers.Count == 0
            ? _semantics.GetDeclaredSymbol(loop.Declaration.Variables[0], _cancellation) as ILocalSymbol
            : null;
        var increment = loop.Incrementors.Count == 1 ? Increment(loop.Incrementors[0], counter) : 0;
        if (counter is null || TypeOf(counter.Type) != NumType.Int || loop.Declaration!.Variables[0].Initializer is null || loop.Condition is null || increment == 0)
        {
            Report(DiagnosticDescriptors.UnsupportedStatement, loop, "'for' loop: write it as 'for (int i = start; i < end; i++)' (or i--, i += k, i -= k for a constant k)");
            return;
        }
        if (Visit(loop.Declaration.Variables[0].Initializer!.Value, null) is not { } from) return;
        var name = _names.Fresh(Identifier(counter.Name));
        _values[counter] = new Value(Operand.Var(name), NumType.Int);
        if (AssignedIn(loop.Statement, counter) is not { } carried) return;
        VisitLoop(carried, name, from.Operand, increment, loop.Condition, loop.Statement);
    }

    /// <summary><c>while (condition) { … }</c>: the condition is computed at the start of every iteration.</summary>
    private void VisitWhile(WhileStatementSyntax loop)
    {
        if (AssignedIn(loop.Statement, null) is not { } carried) return;
        VisitLoop(carried, null, Operand.Const(0), 0, loop.Condition, loop.Statement);
    }

    /// <summary>
    /// Reads a loop: each variable the body assigns gets a value inside the loop (from before the loop in the first
    /// iteration, from the previous iteration after) and a value after the loop; the body is read once, in its own steps.
    /// </summary>
    private void VisitLoop(List<ISymbol> assigned, string? counter, Operand from, int increment, ExpressionSyntax conditionSyntax, StatementSyntax body)
    {
        var (steps, values) = (_steps, _values);
        _values = new Dictionary<ISymbol, Value>(values, SymbolEqualityComparer.Default);
        var inside = assigned.ToDictionary(symbol => symbol, symbol => new Value(Operand.Var(_names.Fresh(Identifier(symbol.Name))), values[symbol].Type), SymbolEqualityComparer.Default);
        foreach (var pair in inside) _values[pair.Key] = pair.Value;
        _loopDepth++;
        try
        {
            // The condition is computed at the start of each iteration; the parts that cannot change (a bound such as
            // xs.Length) once, before the loop.
            _steps = [];
            var condition = VisitCondition(conditionSyntax);
            var variant = new HashSet<string>(inside.Values.Select(v => v.Operand.Variable!));
            if (counter is not null) variant.Add(counter);
            var header = new List<Step>();
            foreach (var step in _steps)
            {
                if (step is OpStep op && !op.Args.Any(a => a.Variable is { } v && variant.Contains(v)))
                {
                    steps.Add(step);
                    continue;
                }
                header.Add(step);
                variant.UnionWith(Targets(step));
            }
            _steps = [];
            VisitStatements(Statements(body));
            if (condition is null) return;

            var carried = new List<LoopVariable>();
            var exits = new Dictionary<ISymbol, Value>(SymbolEqualityComparer.Default);
            foreach (var symbol in assigned)
            {
                var type = values[symbol].Type;
                var next = _values.TryGetValue(symbol, out var last) ? last : inside[symbol];
                var exit = new Value(Operand.Var(_names.Fresh(Identifier(symbol.Name))), type);
                carried.Add(new LoopVariable(inside[symbol].Operand.Variable!, exit.Operand.Variable!, type, values[symbol].Operand, Convert(next, type).Operand));
                exits[symbol] = exit;
            }
            steps.Add(new LoopStep(counter, from, increment, header.ToEquatableArray(), condition, _steps.ToEquatableArray(), carried.ToEquatableArray()));
            foreach (var pair in exits) values[pair.Key] = pair.Value;
        }
        finally
        {
            (_steps, _values) = (steps, values);
            _loopDepth--;
        }
    }

    /// <summary>
    /// The variables from before the loop that its body assigns (loop-carried); null after reporting an assignment the
    /// loop cannot carry: the counter, or a variable not assigned before the loop.
    /// </summary>
    private List<ISymbol>? AssignedIn(StatementSyntax body, ILocalSymbol? counter)
    {
        var assigned = new List<ISymbol>();
        foreach (var (assignment, left) in Assignments(body))
        {
            var symbol = _semantics.GetSymbolInfo(left, _cancellation).Symbol;
            if (symbol is null || assigned.Contains(symbol, SymbolEqualityComparer.Default)) continue;
            if (SymbolEqualityComparer.Default.Equals(symbol, counter))
            {
                Report(DiagnosticDescriptors.UnsupportedStatement, assignment, $"assignment to the loop counter '{symbol.Name}' inside the loop");
                return null;
            }
            var declaredInside = symbol.DeclaringSyntaxReferences.Any(r => body.Span.Contains(r.Span));
            if (declaredInside || symbol is not (ILocalSymbol or IParameterSymbol)) continue;
            if (!_values.ContainsKey(symbol))
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, left, $"'{symbol.Name}', assigned in a loop but not before it", "give it a value before the loop");
                return null;
            }
            assigned.Add(symbol);
        }
        return assigned;
    }

    /// <summary>The assignments and increments in a statement, with the expression each writes.</summary>
    private static IEnumerable<(ExpressionSyntax Assignment, ExpressionSyntax Left)> Assignments(SyntaxNode body) => body.DescendantNodes().OfType<ExpressionSyntax>().Select(node => node switch
    {
        AssignmentExpressionSyntax assignment => (node, assignment.Left),
        PostfixUnaryExpressionSyntax { Operand: var operand } when node.Kind() is SyntaxKind.PostIncrementExpression or SyntaxKind.PostDecrementExpression => (node, operand),
        PrefixUnaryExpressionSyntax { Operand: var operand } when node.Kind() is SyntaxKind.PreIncrementExpression or SyntaxKind.PreDecrementExpression => (node, operand),
        _ => (node, null!),
    }).Where(pair => pair.Item2 is not null);

    private static IEnumerable<string> Targets(Step step) => step switch
    {
        OpStep op => [op.Target],
        CallStep call => [call.Target],
        IfStep branch => branch.Then.Concat(branch.Else).SelectMany(Targets).Concat(branch.Merges.Select(m => m.Target)),
        LoopStep loop => loop.Carried.Select(c => c.Exit),
        _ => [],
    };

    /// <summary>The step of <c>i++</c>, <c>++i</c>, <c>i += k</c> and their decrements, for a constant k ≠ 0; 0 for anything else.</summary>
    private int Increment(ExpressionSyntax incrementor, ILocalSymbol? counter)
    {
        var (operand, step) = incrementor switch
        {
            PostfixUnaryExpressionSyntax p => (p.Operand, p.IsKind(SyntaxKind.PostIncrementExpression) ? 1 : -1),
            PrefixUnaryExpressionSyntax p when p.IsKind(SyntaxKind.PreIncrementExpression) || p.IsKind(SyntaxKind.PreDecrementExpression) =>
                (p.Operand, p.IsKind(SyntaxKind.PreIncrementExpression) ? 1 : -1),
            AssignmentExpressionSyntax a when a.Kind() is SyntaxKind.AddAssignmentExpression or SyntaxKind.SubtractAssignmentExpression
                && _semantics.GetConstantValue(a.Right, _cancellation) is { HasValue: true, Value: int k } =>
                (a.Left, a.IsKind(SyntaxKind.AddAssignmentExpression) ? k : -k),
            _ => (null, 0),
        };
        return operand is not null && SymbolEqualityComparer.Default.Equals(_semantics.GetSymbolInfo(operand, _cancellation).Symbol, counter) ? step : 0;
    }

}

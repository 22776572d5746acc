using System;
using System.Collections.Generic;
using System.Linq;
using GradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GradGen.Generator;

/// <summary>Statements: blocks, declarations, assignments, returns.</summary>
internal sealed partial class Parser
{
    /// <summary>
    /// Reads statements in order until every path has returned (<see cref="_exit"/>). A <c>return</c> anywhere outside a
    /// loop is a path's exit: its value becomes the result on that path, and the statements after an <c>if</c> that
    /// returned on some paths run only where it did not (a guard on the returned flag), so that no placement of
    /// <c>return</c> is dropped and no statement is read twice.
    /// </summary>
    private void VisitStatements(IReadOnlyList<StatementSyntax> statements)
    {
        for (var i = 0; i < statements.Count && !_exit.HasReturned; i++)
        {
            _cancellation.ThrowIfCancellationRequested();
            if (!HasStackFor(statements[i]))
            {
                _exit = Exit.Failed;
                return;
            }
            var rest = statements.Skip(i + 1).ToList();
            switch (statements[i])
            {
                case BlockSyntax block:
                    VisitStatements(block.Statements.Concat(rest).ToList());
                    return;
                case ReturnStatementSyntax or IfStatementSyntax when _loopDepth > 0 && statements[i].DescendantNodesAndSelf().OfType<ReturnStatementSyntax>().Any():
                    Report(DiagnosticDescriptors.UnsupportedStatement, statements[i], "'return' inside a loop (assign the result to a variable and return it after the loop)");
                    _exit = Exit.Failed;
                    return;
                case ForStatementSyntax loop:
                    VisitFor(loop);
                    break;
                case WhileStatementSyntax loop:
                    VisitWhile(loop);
                    break;
                case ThrowStatementSyntax:
                    // The path ends here; outside loops, it counts as a returned path with no result of its own.
                    _steps.Add(new ThrowStep());
                    if (_loopDepth == 0) _exit = _exit with { Returned = Operand.Const(1) };
                    return;
                case ReturnStatementSyntax { Expression: { } returned }:
                    // Statements after a return are unreachable (the compiler warns about them). Inside a branch the
                    // value is a temporary: the merge of the branches' values is the result.
                    var value = Visit(returned, _branchDepth == 0 ? "result" : null);
                    _exit = value is { } v ? new Exit(Operand.Const(1), v) : Exit.Failed;
                    return;
                case IfStatementSyntax branch when Returns(branch.Statement) || (branch.Else is { } other && Returns(other.Statement)):
                    // A guard clause: the statements after the 'if' run only on the side that does not always return,
                    // so they are read there (once) and the branches' results merge.
                    var whenTrue = Statements(branch.Statement).Concat(Returns(branch.Statement) ? [] : rest).ToList();
                    var whenFalse = Statements(branch.Else?.Statement).Concat(branch.Else is { } e && Returns(e.Statement) ? [] : rest).ToList();
                    VisitIf(branch.Condition, whenTrue, whenFalse);
                    return;
                case IfStatementSyntax branch:
                    VisitIf(branch.Condition, Statements(branch.Statement), Statements(branch.Else?.Statement));
                    if (_exit.Returned.IsConstant) break;
                    // Some paths through the 'if' returned: the rest runs where the flag says they did not.
                    VisitIf(new Comparison("==", _exit.Returned, Operand.Const(0), NumType.Int), rest, [],
                        thenStart: _exit with { Returned = Operand.Const(0) }, elseStart: _exit with { Returned = Operand.Const(1) });
                    return;
                default:
                    VisitStatement(statements[i]);
                    break;
            }
        }
    }

    /// <summary>Whether the statement returns on every path through it.</summary>
    private static bool Returns(StatementSyntax statement) => statement switch
    {
        ReturnStatementSyntax or ThrowStatementSyntax => true,
        BlockSyntax block => block.Statements.Any(Returns),
        IfStatementSyntax branch => Returns(branch.Statement) && branch.Else is { } other && Returns(other.Statement),
        _ => false,
    };

    // Not a collection expression: one would take SyntaxList's type, whose Add returns a new list, and stay empty.
    private static IReadOnlyList<StatementSyntax> Statements(StatementSyntax? statement) => statement switch
    {
        null => Array.Empty<StatementSyntax>(),
        BlockSyntax block => block.Statements,
        _ => new[] { statement },
    };

    private void VisitStatement(StatementSyntax statement)
    {
        switch (statement)
        {
            case LocalDeclarationStatementSyntax declaration:
                VisitDeclaration(declaration);
                break;
            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }:
                VisitAssignment(assignment);
                break;
            case ExpressionStatementSyntax { Expression: PostfixUnaryExpressionSyntax { Operand: var operand } increment }
                when increment.Kind() is SyntaxKind.PostIncrementExpression or SyntaxKind.PostDecrementExpression:
                VisitIncrement(increment, operand);
                break;
            case ExpressionStatementSyntax { Expression: PrefixUnaryExpressionSyntax { Operand: var operand } increment }
                when increment.Kind() is SyntaxKind.PreIncrementExpression or SyntaxKind.PreDecrementExpression:
                VisitIncrement(increment, operand);
                break;
            case EmptyStatementSyntax:
                break;
            default:
                Report(DiagnosticDescriptors.UnsupportedStatement, statement, StatementName(statement));
                break;
        }
    }

    private void VisitDeclaration(LocalDeclarationStatementSyntax declaration)
    {
        // A const local is folded into its uses through the semantic model's constant values.
        if (declaration.IsConst) return;
        foreach (var declarator in declaration.Declaration.Variables)
        {
            if (_semantics.GetDeclaredSymbol(declarator, _cancellation) is not ILocalSymbol local) continue;
            if (TypeOf(local.Type) is null)
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, declarator, $"local '{local.Name}' of type '{local.Type.ToDisplayString()}'",
                    "locals must be 'double', 'float', 'int' or matrices");
                continue;
            }
            if (declarator.Initializer is { } initializer && Visit(initializer.Value, Identifier(local.Name)) is { } value)
            {
                _values[local] = value;
            }
        }
    }

    private void VisitAssignment(AssignmentExpressionSyntax assignment)
    {
        var op = assignment.Kind() switch
        {
            SyntaxKind.SimpleAssignmentExpression => null,
            SyntaxKind.AddAssignmentExpression => DerivativeRules.Add,
            SyntaxKind.SubtractAssignmentExpression => DerivativeRules.Subtract,
            SyntaxKind.MultiplyAssignmentExpression => DerivativeRules.Multiply,
            SyntaxKind.DivideAssignmentExpression => DerivativeRules.Divide,
            SyntaxKind.ModuloAssignmentExpression => DerivativeRules.Remainder,
            _ => "",
        };
        if (op == "")
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, assignment, $"the operator '{assignment.OperatorToken.ValueText}'",
                "use =, +=, -=, *=, /= or %=");
            return;
        }
        if (AssignedVariable(assignment.Left) is not { } target) return;
        if (op is null)
        {
            if (Visit(assignment.Right, Identifier(target.Name)) is { } assigned) _values[target] = assigned;
            return;
        }
        if (Visit(assignment.Right, null) is { } right) VisitCompound(assignment, target, op, right);
    }

    /// <summary><c>k++</c>, <c>++k</c>, <c>k--</c>, <c>--k</c> as statements: <c>k = k ± 1</c>.</summary>
    private void VisitIncrement(ExpressionSyntax increment, ExpressionSyntax operand)
    {
        var op = increment.Kind() is SyntaxKind.PostIncrementExpression or SyntaxKind.PreIncrementExpression ? DerivativeRules.Add : DerivativeRules.Subtract;
        if (AssignedVariable(operand) is { } target) VisitCompound(increment, target, op, new Value(Operand.Const(1), NumType.Int));
    }

    /// <summary>The local or parameter an assignment writes; null after reporting anything else.</summary>
    private ISymbol? AssignedVariable(ExpressionSyntax left)
    {
        var target = _semantics.GetSymbolInfo(left, _cancellation).Symbol;
        if (left is IdentifierNameSyntax && target is ILocalSymbol or IParameterSymbol && TypeOf(TypeOfSymbol(target)) is { } type && !type.IsArray()) return target;
        if (_semantics.GetTypeInfo(left, _cancellation).Type is null or IErrorTypeSymbol)
        {
            _hasCompilerErrors = true;
            return null;
        }
        Report(DiagnosticDescriptors.UnsupportedExpression, left, $"an assignment to '{left}'",
            "only local variables and parameters of type 'double', 'float', 'int' or matrices can be assigned (arrays are read-only)");
        return null;
    }

    /// <summary><c>target op= right</c>: computed in the promoted type of both sides, as C# does, and converted back.</summary>
    private void VisitCompound(SyntaxNode syntax, ISymbol target, string op, Value right)
    {
        if (!_values.TryGetValue(target, out var current))
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, syntax, $"'{target.Name}' before it is assigned", "assign it first");
            return;
        }
        var type = current.Type;
        var name = Identifier(target.Name);
        if (type.IsMatrix())
        {
            // Elementwise, with a scalar or a broadcast row or column on the right, as the operator would be.
            if (EmitRule(syntax, DerivativeRules.Operator(op, type, right.Type), type, name, current, right) is { } matrix) _values[target] = matrix;
            return;
        }
        var opType = right.Operand.IsConstant ? type : Promote(type, right.Type);
        var result = Emit(op, opType, opType == type ? name : null, Convert(current, opType), Convert(right, opType));
        _values[target] = Convert(result, type, name);
    }

    /// <summary>The type C# computes a binary operation of two scalars in.</summary>
    private static NumType Promote(NumType a, NumType b) =>
        a == NumType.Double || b == NumType.Double ? NumType.Double : a == NumType.Float || b == NumType.Float ? NumType.Float : NumType.Int;
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
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
        ReturnStatementSyntax => true,
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
        var target = _semantics.GetSymbolInfo(assignment.Left, _cancellation).Symbol;
        if (assignment.Left is not IdentifierNameSyntax || target is not (ILocalSymbol or IParameterSymbol) || TypeOf(TypeOfSymbol(target)) is not { } type)
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, assignment.Left, $"an assignment to '{assignment.Left}'",
                "only local variables and parameters of type 'double' or 'float' can be assigned");
            return;
        }

        var op = assignment.Kind() switch
        {
            SyntaxKind.SimpleAssignmentExpression => null,
            SyntaxKind.AddAssignmentExpression => DerivativeRules.Add,
            SyntaxKind.SubtractAssignmentExpression => DerivativeRules.Subtract,
            SyntaxKind.MultiplyAssignmentExpression => DerivativeRules.Multiply,
            SyntaxKind.DivideAssignmentExpression => DerivativeRules.Divide,
            _ => "",
        };
        if (op == "")
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, assignment, $"the operator '{assignment.OperatorToken.ValueText}'",
                "use =, +=, -=, *= or /=");
            return;
        }
        if (op is null)
        {
            if (Visit(assignment.Right, Identifier(target.Name)) is { } assigned) _values[target] = assigned;
            return;
        }
        if (!_values.TryGetValue(target, out var current))
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, assignment.Left, $"'{target.Name}' before it is assigned", "assign it first");
            return;
        }
        if (Visit(assignment.Right, null) is not { } right) return;
        // C# computes 'f op= d' (float f, double d) in double and converts back.
        var opType = current.Type == NumType.Float && (right.Type == NumType.Float || right.Operand.IsConstant) ? NumType.Float : NumType.Double;
        var name = Identifier(target.Name);
        var result = Emit(op, opType, opType == type ? name : null, Convert(current, opType), Convert(right, opType));
        _values[target] = Convert(result, type, name);
    }
}

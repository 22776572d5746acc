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

    /// <returns>The returned value when the statements end in a return on every path; null otherwise.</returns>
    private Value? VisitStatements(IReadOnlyList<StatementSyntax> statements)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            _cancellation.ThrowIfCancellationRequested();
            switch (statements[i])
            {
                case BlockSyntax block:
                    return VisitStatements(block.Statements.Concat(statements.Skip(i + 1)).ToList());
                case ReturnStatementSyntax or IfStatementSyntax when _loopDepth > 0 && statements[i].DescendantNodesAndSelf().OfType<ReturnStatementSyntax>().Any():
                    Report(DiagnosticDescriptors.UnsupportedStatement, statements[i], "'return' inside a loop (assign the result to a variable and return it after the loop)");
                    return null;
                case ForStatementSyntax loop:
                    VisitFor(loop);
                    break;
                case WhileStatementSyntax loop:
                    VisitWhile(loop);
                    break;
                case ReturnStatementSyntax { Expression: { } returned }:
                    // Statements after a return are unreachable (the compiler warns about them). Inside a branch the
                    // value is a temporary: the merge of the branches' values is the result.
                    return Visit(returned, _branchDepth == 0 ? "result" : null);
                case IfStatementSyntax branch when Returns(branch.Statement) || (branch.Else is { } other && Returns(other.Statement)):
                    // An early return: the statements after the 'if' run only on the branch that does not return.
                    var rest = statements.Skip(i + 1).ToList();
                    var whenTrue = Statements(branch.Statement).Concat(Returns(branch.Statement) ? [] : rest).ToList();
                    var whenFalse = Statements(branch.Else?.Statement).Concat(branch.Else is { } e && Returns(e.Statement) ? [] : rest).ToList();
                    return VisitIf(branch.Condition, whenTrue, whenFalse, returns: true);
                case IfStatementSyntax branch:
                    VisitIf(branch.Condition, Statements(branch.Statement), Statements(branch.Else?.Statement), returns: false);
                    break;
                default:
                    VisitStatement(statements[i]);
                    break;
            }
        }
        return null;
    }

    private static bool Returns(StatementSyntax statement) => statement switch
    {
        ReturnStatementSyntax => true,
        BlockSyntax block => block.Statements.Count > 0 && Returns(block.Statements.Last()),
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

    /// <summary>
    /// Reads both branches into their own step lists; a variable they leave with different values gets a merge
    /// (an SSA φ). When both branches return, the returned values merge into the method's result.
    /// </summary>
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

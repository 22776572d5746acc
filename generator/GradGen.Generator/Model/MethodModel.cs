using System.Collections.Generic;
using System.Linq;

namespace GradGen.Generator.Model;

/// <summary>
/// Everything the later phases need to know about one <c>[Differentiable]</c> method, as plain
/// equatable data: no symbols, syntax nodes, locations or compilations survive parsing, so an edit
/// that does not change the method's meaning leaves this model equal and the output cached.
/// </summary>
/// <param name="HintName">The generated file's name.</param>
/// <param name="Namespace">The containing namespace, or <c>null</c> for the global namespace.</param>
/// <param name="ContainingTypes">Outermost first.</param>
/// <param name="Modifiers">The method's accessibility as written, e.g. <c>public</c> or <c>internal</c>.</param>
/// <param name="Steps">The body in A-normal form: one operation per step, in execution order.</param>
/// <param name="Result">What the method returns.</param>
/// <param name="Pushforward">Whether forward mode (<c>FPushforward</c>) is generated too.</param>
/// <param name="Hessian">Whether second order (<c>FHessianVectorProduct</c>, <c>FHessian</c>) is generated too.</param>
/// <param name="Jacobian">Whether <c>FJacobian</c> is generated too.</param>
/// <param name="Models">The models the method reads: <c>this</c> for a model's (instance) method, and each parameter of a
/// model type; the pullback adds the adjoints of the members it reads to each one's gradient.</param>
internal sealed record MethodModel(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string Modifiers,
    string Name,
    NumType ReturnType,
    EquatableArray<Parameter> Parameters,
    EquatableArray<Step> Steps,
    Operand Result,
    bool Pushforward = false,
    bool Hessian = false,
    bool Jacobian = false,
    EquatableArray<ModelRoot> Models = default)
{
    /// <summary>Whether this is a model's method: an instance method reading the model's members.</summary>
    public bool IsInstance => Models.Any(m => m.Root == ModelRoot.This);

    /// <summary>The gradient variable of the model a member path starts from (<c>this.W1</c>, <c>model.Hidden.Weight</c>).</summary>
    public ModelRoot RootOf(string path) => Models.First(m => m.Root == path.Split('.')[0]);

    /// <summary>The parameters the method declares (those read from a model's members come after them).</summary>
    public IEnumerable<Parameter> Declared => Parameters.Where(p => p.Member is null);
}

/// <param name="Keyword">class, struct, record, record struct or interface.</param>
/// <param name="Name">The name with its type parameter list, e.g. <c>Box&lt;T&gt;</c>.</param>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>A model the method reads: <c>this</c>, or a parameter of a model type.</summary>
/// <param name="Root"><c>this</c>, or the parameter's name.</param>
/// <param name="Type">The model's type, e.g. <c>global::Demo.Mlp</c>.</param>
/// <param name="Gradient">The pullback's parameter holding the model's gradient (a <c>Type.Gradient</c>).</param>
internal sealed record ModelRoot(string Root, string Type, string Gradient)
{
    public const string This = "this";

    public string GradientType => Type + ".Gradient";
}

/// <param name="Name">The name as it must be written in C# (escaped with @ if it is a keyword).</param>
/// <param name="IsDifferentiated">False for parameters marked [NoDerivative].</param>
/// <param name="Member">For a value the method reads from a model: its path from the model (<c>this.Hidden.Weight</c>,
/// <c>model.W1</c>), which is also the path of its adjoint in the model's gradient. Null for a declared parameter.</param>
/// <param name="Model">For a declared parameter of a model type: the type (its <see cref="Type"/> is then meaningless).</param>
/// <param name="IsClassModel">Whether that model type is a class (a null argument is then an error naming the parameter).</param>
internal sealed record Parameter(string Name, NumType Type, bool IsDifferentiated, string? Member = null, string? Model = null, bool IsClassModel = false)
{
    /// <summary>The parameter's type as C# writes it.</summary>
    public string Keyword => Model ?? Type.Keyword();
}

/// <summary>A value used by a step: a variable (parameter or step target) or a constant.</summary>
/// <param name="IsInteger">A constant written as an <c>int</c> literal where it meets a floating-point operation (<c>Math.Round(x, 2)</c>).</param>
internal sealed record Operand(string? Variable, double Constant, bool IsInteger = false)
{
    public static Operand Var(string name) => new(name, 0);

    public static Operand Const(double value) => new(null, value);

    public bool IsConstant => Variable is null;
}

/// <summary>
/// One statement of the A-normal form: an <see cref="OpStep"/>, a <see cref="CallStep"/>, or an <see cref="IfStep"/> or
/// <see cref="LoopStep"/> holding nested step lists.
/// </summary>
internal abstract record Step;

/// <summary><c>Target = Op(Args)</c>, where <see cref="Op"/> names a rule in <c>DerivativeRules</c>.</summary>
internal sealed record OpStep(string Target, NumType Type, string Op, EquatableArray<Operand> Args) : Step;

/// <summary>
/// <c>Target = Function(Args)</c>, a call of a user's method. With a <see cref="Pullback"/> (the generated pullback of
/// a [Differentiable] method, or a [CustomPullback]) the backward calls it; without one (a [NoDerivative] method) the
/// result is a constant.
/// </summary>
/// <param name="Function">The method, fully qualified, e.g. <c>global::Demo.Layers.Dense</c>.</param>
/// <param name="PullbackTakesWorkspace">Whether the pullback's last parameter is a <c>GradGen.Workspace</c> (always for a generated one).</param>
/// <param name="Pushforward">The callee's pushforward, when it has one (<c>[Differentiable(Pushforward = true)]</c>, or <c>[CustomPushforward]</c>).</param>
/// <param name="HessianPullback">The callee's generated pullback with tangents, when it has one (<c>[Differentiable(Hessian = true)]</c>).</param>
/// <param name="PushforwardTakesWorkspace">Whether the pushforward's last parameter is a <c>GradGen.Workspace</c> (a generated one's, over matrices).</param>
/// <param name="Receiver">For a model's method: the model it is called on; its pullback adds to the same path of the caller's gradient.</param>
/// <param name="Value">The callee's generated forward over a workspace (<c>FValue(…, workspace)</c>, for a [Differentiable] method over matrices
/// or a model's), which the caller's forward calls so that its matrices come from the workspace too; null to call the method itself.</param>
internal sealed record CallStep(string Target, NumType Type, string Function, string? Pullback, bool PullbackTakesWorkspace, EquatableArray<CallArgument> Args,
    string? Pushforward = null, string? HessianPullback = null, bool PushforwardTakesWorkspace = false, Receiver? Receiver = null, string? Value = null) : Step;

/// <summary>
/// The model a model's method is called on, as a path from a model the caller reads: the model itself (<c>this</c>,
/// <c>model</c>), a layer (<c>this.Hidden</c>), or an item of an array of layers (<c>this.Layers</c> at <paramref name="Index"/>).
/// </summary>
internal sealed record Receiver(string Path, Operand? Index);

/// <param name="Type">The parameter's type.</param>
/// <param name="Differentiated">Whether the pullback has a <c>ref</c> adjoint for this parameter.</param>
internal sealed record CallArgument(Operand Value, NumType Type, bool Differentiated);

/// <summary>
/// The forward throws here: a <c>throw</c> statement, or the throwing side of <c>c ? x : throw …</c>. The generated code
/// calls the method itself, which throws the same exception; the throwing path has no backward.
/// </summary>
internal sealed record ThrowStep : Step;

/// <summary>
/// <c>if (Condition) { Then } else { Else }</c>, after which each <see cref="Merges"/> target holds the value its
/// branch gave it (an SSA φ): how assignments in branches, the conditional operator and early returns are modelled.
/// </summary>
internal sealed record IfStep(Condition Condition, EquatableArray<Step> Then, EquatableArray<Step> Else, EquatableArray<Merge> Merges) : Step;

/// <summary><c>Target = condition ? WhenTrue : WhenFalse</c>, taken at the end of the branches of an <see cref="IfStep"/>.</summary>
internal sealed record Merge(string Target, NumType Type, Operand WhenTrue, Operand WhenFalse);

/// <summary>
/// A loop. A <c>for</c> loop has a <see cref="Counter"/> that runs from <see cref="From"/> by <see cref="Increment"/>
/// while <see cref="Condition"/> holds (its operands are computed once, before the loop); a <c>while</c> loop has none, and
/// computes its condition's operands each iteration in <see cref="Header"/>. The variables the body assigns are
/// <see cref="Carried"/> from one iteration to the next (SSA φs at the loop's head).
/// </summary>
internal sealed record LoopStep(
    string? Counter,
    Operand From,
    int Increment,
    EquatableArray<Step> Header,
    Condition Condition,
    EquatableArray<Step> Body,
    EquatableArray<LoopVariable> Carried) : Step;

/// <summary>A variable a loop updates.</summary>
/// <param name="Inside">Its value during an iteration: <see cref="Initial"/> in the first, the previous <see cref="Next"/> after.</param>
/// <param name="Exit">Its value after the loop, which the code after the loop reads.</param>
/// <param name="Next">Its value at the end of an iteration, computed by the body.</param>
internal sealed record LoopVariable(string Inside, string Exit, NumType Type, Operand Initial, Operand Next);

/// <summary>A branch condition over scalar values: comparisons joined by !, &amp;&amp; and ||.</summary>
internal abstract record Condition;

/// <param name="Op">One of <c>&lt; &lt;= &gt; &gt;= == !=</c>.</param>
/// <param name="Type">The type the operands are compared in: <c>double</c>, or <c>int</c> for loop counters.</param>
internal sealed record Comparison(string Op, Operand Left, Operand Right, NumType Type = NumType.Double) : Condition;

/// <param name="Op"><c>&amp;&amp;</c> or <c>||</c>.</param>
internal sealed record Logical(string Op, Condition Left, Condition Right) : Condition;

internal sealed record Not(Condition Operand) : Condition;

internal sealed record BoolConstant(bool Value) : Condition;

using System;
using System.Collections.Generic;
using System.Numerics;

namespace GradGen;

/// <summary>
/// The buffers of a training step, kept from one step to the next so that a steady-state step allocates nothing.
/// Pass one to a generated <c>…WithGradient(…, workspace)</c>: every matrix the forward and the backward compute is
/// taken from it, in the order the step computes them, and the first step sizes it.
/// </summary>
/// <remarks>
/// <para>
/// What a step returns (the gradients) lives in the workspace: the next step with the same workspace overwrites it.
/// Use a gradient before the next step (e.g. let an optimizer apply it), or copy it with <see cref="Matrix{T}.Clone"/>.
/// </para>
/// <para>
/// Each <see cref="Reset"/> starts a step: the buffers are handed out again in the same order. A buffer whose shape
/// no longer fits (another batch size, a branch that went the other way) is replaced, so a step is always right;
/// it only allocates again. A workspace belongs to one thread at a time.
/// </para>
/// </remarks>
public sealed class Workspace
{
    private readonly List<object> _buffers = [];
    private int _next;
    /// <summary>The thread of the step in progress: the one that called <see cref="Reset"/>.</summary>
    private int _thread = Environment.CurrentManagedThreadId;

    /// <summary>Starts a step on this thread: the buffers handed out from now on are those of the previous step, in the same order.</summary>
    public void Reset()
    {
        _thread = Environment.CurrentManagedThreadId;
        _next = 0;
    }

    /// <summary>
    /// An empty list for a loop's tape: a list of the workspace when there is one (cleared, its capacity kept),
    /// a new list otherwise.
    /// </summary>
    public static List<T> List<T>(Workspace? workspace)
    {
        if (workspace is null) return [];
        var list = workspace.Peek() as List<T> ?? workspace.Keep(new List<T>());
        workspace._next++;
        list.Clear();
        return list;
    }

    /// <summary>
    /// An object of the workspace at this position (a model's gradient: its members are then set), or a new one without a
    /// workspace.
    /// </summary>
    public static TObject Object<TObject>(Workspace? workspace) where TObject : class, new()
    {
        if (workspace is null) return new TObject();
        var item = workspace.Peek() as TObject ?? workspace.Keep(new TObject());
        workspace._next++;
        return item;
    }

    /// <summary>A zero array of <paramref name="length"/> items, from the workspace when there is one.</summary>
    public static T[] Zeros<T>(int length, Workspace? workspace)
    {
        var array = Array<T>(length, workspace);
        System.Array.Clear(array);
        return array;
    }

    /// <summary>A <paramref name="rows"/>×<paramref name="columns"/> matrix whose elements the caller overwrites: from the workspace (holding the previous step's values) or new (zero).</summary>
    internal static Matrix<T> Matrix<T>(int rows, int columns, Workspace? workspace) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (workspace is null) return new Matrix<T>(rows, columns);
        var matrix = workspace.Peek() is Matrix<T> m && m.Rows == rows && m.Columns == columns ? m : workspace.Keep(new Matrix<T>(rows, columns));
        workspace._next++;
        return matrix;
    }

    /// <summary>An array whose items the caller overwrites, from the workspace or new.</summary>
    internal static T[] Array<T>(int length, Workspace? workspace)
    {
        if (workspace is null) return new T[length];
        var array = workspace.Peek() is T[] a && a.Length == length ? a : workspace.Keep(new T[length]);
        workspace._next++;
        return array;
    }

    /// <summary>
    /// The buffer at the current position. A workspace used by two threads at once would hand both the same buffers
    /// (silently wrong results): a thread other than the step's is refused.
    /// </summary>
    private object? Peek()
    {
        if (_thread != Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException($"This workspace's step was started (Reset) on thread {_thread} and is used on thread {Environment.CurrentManagedThreadId}: a workspace belongs to one thread at a time; give each thread its own.");
        }
        return _next < _buffers.Count ? _buffers[_next] : null;
    }

    /// <summary>Stores <paramref name="buffer"/> at the current position, replacing one that did not fit.</summary>
    private TBuffer Keep<TBuffer>(TBuffer buffer) where TBuffer : class
    {
        if (_next < _buffers.Count) _buffers[_next] = buffer;
        else _buffers.Add(buffer);
        return buffer;
    }
}

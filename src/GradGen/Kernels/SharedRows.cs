using System;
using System.Threading;

namespace GradGen.Kernels;

/// <summary>
/// A pass over the rows of large matrices (an activation, its backward, a bias, a softmax), shared with the
/// <see cref="Crew"/> in groups of rows. Below <see cref="MinimumElements"/>, on one core, or when other work has the
/// crew, the caller runs it alone. The body is a static lambda and its state a tuple: nothing is allocated.
/// </summary>
internal static class SharedRows
{
    /// <summary>
    /// From this many elements on (a 256×128 matrix), a pass is shared: a sigmoid over 2¹⁵ doubles takes about 35 µs
    /// on one core here, against a few microseconds to hand half of it to a spinning crew thread.
    /// </summary>
    public const int MinimumElements = 1 << 15;

    /// <summary>Elements in a group of rows at least: about 4 µs of the cheapest pass.</summary>
    private const int GroupElements = 1 << 12;

    /// <summary>
    /// Runs <paramref name="body"/>(state, first, count) over groups of rows covering 0…rows−1, each once: rows of
    /// <paramref name="columns"/> elements (a column sum's blocks of rows), shared from <paramref name="minimumElements"/> on.
    /// </summary>
    public static void Run<TState>(int rows, int columns, TState state, Action<TState, int, int> body, int minimumElements = MinimumElements)
    {
        if ((long)rows * columns < minimumElements || rows < 2 || Crew.Shared is not { } crew)
        {
            body(state, 0, rows);
            return;
        }
        // Four groups per thread, so that a late crew thread still finds some, of at least GroupElements each.
        var group = Math.Max((GroupElements + columns - 1) / columns, rows / (4 * Crew.Threads));
        var work = Pass<TState>.ForThisThread;
        work.Set(state, body, rows, group);
        try
        {
            if (!crew.TryRun(work)) body(state, 0, rows);
        }
        finally
        {
            work.Set(default!, null, 0, 1);
        }
    }

    /// <summary>One pass, taken a group of rows at a time, each thread its own <see cref="Portions"/> first. One per thread and state type, reused.</summary>
    private sealed class Pass<TState> : ICrewWork
    {
        [ThreadStatic] private static Pass<TState>? t_pass;

        public static Pass<TState> ForThisThread => t_pass ??= new Pass<TState>();

        private readonly Portions _groups = new();
        private TState _state = default!;
        private Action<TState, int, int>? _body;
        private int _rows, _group;

        public void Set(TState state, Action<TState, int, int>? body, int rows, int group)
        {
            (_state, _body, _rows, _group) = (state, body, rows, group);
            _groups.Reset((rows + group - 1) / group);
        }

        public void Work(int thread)
        {
            int taken;
            while ((taken = _groups.Take(thread)) >= 0)
            {
                var first = taken * _group;
                _body!(_state, first, Math.Min(_group, _rows - first));
            }
        }
    }
}

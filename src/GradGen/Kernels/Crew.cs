using System;
using System.Diagnostics;
using System.Threading;

namespace GradGen.Kernels;

/// <summary>Work a <see cref="Crew"/> shares: every thread that joins calls <see cref="Work"/>, which takes parts until none is left.</summary>
internal interface ICrewWork
{
    /// <param name="thread">0 for the caller, 1… for the crew's threads: which of the <see cref="Portions"/> is its own.</param>
    void Work(int thread);
}

/// <summary>
/// Threads kept for work large enough to share between the cores, one per core but the caller's: a large matrix
/// product, an element-wise pass over a large matrix. A kept crew rather than <c>Parallel.For</c>, whose closures and
/// tasks would allocate every time: a training step of any size allocates nothing. Between two pieces of work a crew
/// thread spins for a while before it sleeps, as BLAS libraries' threads do: a step's products and passes come a few
/// microseconds apart, and waking a sleeping thread costs tens of them on a virtual machine, more than sharing a
/// mid-sized product saves. The caller works too, and waits only for the crew threads that joined: one not up in time
/// (asleep, or its core busy with another program) stays out. One piece of work has the crew at a time; another
/// thread's meanwhile runs alone.
/// </summary>
internal sealed class Crew
{
    /// <summary>The crew, made at the first large piece of work; none on one core.</summary>
    public static Crew? Shared => Environment.ProcessorCount > 1 ? s_crew.Value : null;

    /// <summary>The threads that share a piece of work: the crew and the caller.</summary>
    public static int Threads => Math.Min(Environment.ProcessorCount, 16);

    private static readonly Lazy<Crew> s_crew = new(() => new Crew(Threads - 1));

    /// <summary>How long a crew thread spins for the next piece of work before it sleeps: 2 ms.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 500;

    private readonly ManualResetEventSlim[] _wake;
    private readonly int[] _sleeping;

    // _generation counts the pieces of work shared so far; _open is the one crew threads may still join (0: none);
    // _active counts the crew threads between looking at _open and leaving the work.
    private int _busy, _generation, _open, _active;
    private ICrewWork? _work;
    private Exception? _error;

    private Crew(int threads)
    {
        (_wake, _sleeping) = (new ManualResetEventSlim[threads], new int[threads]);
        for (var i = 0; i < threads; i++)
        {
            _wake[i] = new ManualResetEventSlim(false);
            var index = i;
            new Thread(() => Serve(index)) { IsBackground = true, Name = "GradGen crew " + (i + 1) }.Start();
        }
    }

    /// <summary>Runs <paramref name="work"/> on this thread and the crew's; false (nothing run) when other work has the crew.</summary>
    public bool TryRun(ICrewWork work)
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        (_work, _error) = (work, null);
        var generation = _generation + 1;
        Volatile.Write(ref _open, generation);
        Volatile.Write(ref _generation, generation);
        for (var i = 0; i < _wake.Length; i++)
        {
            if (Volatile.Read(ref _sleeping[i]) == 1) _wake[i].Set();
        }
        try
        {
            work.Work(0);
        }
        finally
        {
            Interlocked.Exchange(ref _open, 0);
            var spin = new SpinWait();
            while (Volatile.Read(ref _active) > 0) spin.SpinOnce(sleep1Threshold: -1);
            var error = _error;
            (_work, _error) = (null, null);
            Volatile.Write(ref _busy, 0);
            if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }
        return true;
    }

    private void Serve(int index)
    {
        var seen = 0;
        while (true)
        {
            var since = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen)
            {
                if (Stopwatch.GetTimestamp() - since < SpinTicks)
                {
                    Thread.SpinWait(20);
                    continue;
                }
                // Asleep, announced before the last look (the caller opens the work, then looks who sleeps): a
                // wake-up is never missed, and a stale one only costs a turn of this loop.
                Interlocked.Exchange(ref _sleeping[index], 1);
                if (Volatile.Read(ref _generation) == seen) _wake[index].Wait();
                Interlocked.Exchange(ref _sleeping[index], 0);
                _wake[index].Reset();
            }
            seen = Volatile.Read(ref _generation);
            Interlocked.Increment(ref _active);
            try
            {
                if (Volatile.Read(ref _open) == seen) _work!.Work(index + 1);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
            Interlocked.Decrement(ref _active);
        }
    }
}

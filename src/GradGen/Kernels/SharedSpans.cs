using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace GradGen.Kernels;

/// <summary>
/// Passes over spans (a parameter's values, which an optimizer gets as spans) shared with the <see cref="Crew"/> as
/// <see cref="SharedRows"/> shares passes over matrices: the spans are pinned for the pass and handed over as addresses.
/// </summary>
internal static unsafe class SharedSpans
{
    /// <summary>Elements of a span in one group: 16 K, a few microseconds of the cheapest pass.</summary>
    private const int Group = 1 << 14;

    /// <summary>From this many elements on (an update is a few operations per element): 2¹⁷.</summary>
    private const int MinimumElements = 1 << 17;

    /// <summary><paramref name="destination"/> += <paramref name="scale"/>·<paramref name="x"/>.</summary>
    public static void AddScaled<T>(ReadOnlySpan<T> x, T scale, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length != destination.Length) throw new ArgumentException($"AddScaled: {x.Length} elements added to {destination.Length}.");
        fixed (T* source = x)
        fixed (T* target = destination)
        {
            SharedRows.Run((x.Length + Group - 1) / Group, Group, (Source: (nint)source, Target: (nint)target, x.Length, Scale: scale), static (s, first, count) =>
            {
                var start = first * Group;
                var length = Math.Min(count * Group, s.Length - start);
                var target = new Span<T>((T*)s.Target + start, length);
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>((T*)s.Source + start, length), s.Scale, target, target);
            }, MinimumElements);
        }
    }
}

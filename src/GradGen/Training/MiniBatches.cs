using System;
using System.Collections;
using System.Collections.Generic;
using System.Numerics;

namespace GradGen;

/// <summary>One mini-batch: rows of the inputs and, in the same order, their labels or targets.</summary>
/// <param name="Labels">The rows' class labels, or null for a dataset of targets.</param>
/// <param name="Targets">The rows' targets, or null for a dataset of labels.</param>
public readonly record struct Batch<T>(Matrix<T> X, int[]? Labels, Matrix<T>? Targets) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// A dataset in mini-batches: each <c>foreach</c> over it is one epoch, in an order shuffled again for each epoch (or in
/// the rows' order without a <see cref="Random"/>), as PyTorch's <c>DataLoader(shuffle=True)</c> gives them.
/// </summary>
/// <remarks>
/// A batch's rows are copied into buffers kept from one batch to the next (a <see cref="Matrix{T}"/> is contiguous, so
/// shuffled rows cannot be a view): an epoch allocates nothing. A batch is valid until the next one. Without
/// <c>dropLast</c>, the last batch of an epoch is smaller when the batch size does not divide the rows; with a
/// <see cref="Workspace"/>, a step of another batch size replaces its buffers (it allocates): keep every batch the same
/// size (<c>dropLast: true</c>) for allocation-free training.
/// </remarks>
public sealed class MiniBatches<T> : IEnumerable<Batch<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _x;
    private readonly int[]? _labels;
    private readonly Matrix<T>? _targets;
    private readonly Random? _random;
    private readonly int[] _order;
    private readonly Buffers _full, _last;

    /// <summary>Batches of rows of <paramref name="x"/> with their class <paramref name="labels"/>.</summary>
    public MiniBatches(Matrix<T> x, int[] labels, int batchSize, Random? shuffle = null, bool dropLast = false)
        : this(x, labels ?? throw new ArgumentNullException(nameof(labels)), null, labels.Length, batchSize, shuffle, dropLast)
    {
    }

    /// <summary>Batches of rows of <paramref name="x"/> with the same rows of <paramref name="targets"/>.</summary>
    public MiniBatches(Matrix<T> x, Matrix<T> targets, int batchSize, Random? shuffle = null, bool dropLast = false)
        : this(x, null, targets ?? throw new ArgumentNullException(nameof(targets)), targets.Rows, batchSize, shuffle, dropLast)
    {
    }

    private MiniBatches(Matrix<T> x, int[]? labels, Matrix<T>? targets, int rows, int batchSize, Random? shuffle, bool dropLast)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (rows != x.Rows) throw new ArgumentException($"The inputs have {x.Rows} rows and the {(labels is null ? "targets" : "labels")} {rows}: one per row.");
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "A batch has at least one row.");
        (_x, _labels, _targets, _random) = (x, labels, targets, shuffle);
        BatchSize = Math.Min(batchSize, rows);
        _order = new int[rows];
        for (var i = 0; i < rows; i++) _order[i] = i;
        var remainder = rows % BatchSize;
        Count = rows / BatchSize + (remainder > 0 && !dropLast ? 1 : 0);
        _full = new Buffers(this, BatchSize);
        _last = remainder > 0 && !dropLast ? new Buffers(this, remainder) : _full;
    }

    /// <summary>The rows of a full batch.</summary>
    public int BatchSize { get; }

    /// <summary>How many batches an epoch has.</summary>
    public int Count { get; }

    /// <summary>Starts an epoch: shuffles the rows' order (with a <see cref="Random"/>) and hands out its batches.</summary>
    public Enumerator GetEnumerator()
    {
        if (_random is not null)
        {
            // Fisher–Yates.
            for (var i = _order.Length - 1; i > 0; i--)
            {
                var j = _random.Next(i + 1);
                (_order[i], _order[j]) = (_order[j], _order[i]);
            }
        }
        return new Enumerator(this);
    }

    IEnumerator<Batch<T>> IEnumerable<Batch<T>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The batches of one epoch (a struct: <c>foreach</c> over the batches allocates nothing).</summary>
    public struct Enumerator : IEnumerator<Batch<T>>
    {
        private readonly MiniBatches<T> _batches;
        private int _index;

        internal Enumerator(MiniBatches<T> batches) => (_batches, _index) = (batches, -1);

        public Batch<T> Current { get; private set; }

        public bool MoveNext()
        {
            if (++_index >= _batches.Count) return false;
            Current = _batches.Gather(_index);
            return true;
        }

        readonly object IEnumerator.Current => Current;

        readonly void IEnumerator.Reset() => throw new NotSupportedException("Start another epoch with a new foreach.");

        public readonly void Dispose()
        {
        }
    }

    private Batch<T> Gather(int index)
    {
        var buffers = index == Count - 1 ? _last : _full;
        var rows = _order.AsSpan(index * BatchSize, buffers.X.Rows);
        for (var r = 0; r < rows.Length; r++)
        {
            _x.Row(rows[r]).CopyTo(buffers.X.Row(r));
            if (_labels is not null) buffers.Labels![r] = _labels[rows[r]];
            if (_targets is not null) _targets.Row(rows[r]).CopyTo(buffers.Targets!.Row(r));
        }
        return new Batch<T>(buffers.X, buffers.Labels, buffers.Targets);
    }

    private sealed class Buffers(MiniBatches<T> batches, int rows)
    {
        public Matrix<T> X { get; } = new(rows, batches._x.Columns);
        public int[]? Labels { get; } = batches._labels is null ? null : new int[rows];
        public Matrix<T>? Targets { get; } = batches._targets is null ? null : new Matrix<T>(rows, batches._targets.Columns);
    }
}

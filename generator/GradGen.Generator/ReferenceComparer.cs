using System.Collections.Generic;
using System.Runtime.CompilerServices;
using GradGen.Generator.Model;

namespace GradGen.Generator;

/// <summary>Identity, not value equality: two equal-looking branches (or loops) are still two.</summary>
internal sealed class ReferenceComparer : IEqualityComparer<Step>, IEqualityComparer<LoopStep>
{
    public static readonly ReferenceComparer Instance = new();

    public bool Equals(Step? x, Step? y) => ReferenceEquals(x, y);

    public int GetHashCode(Step obj) => RuntimeHelpers.GetHashCode(obj);

    public bool Equals(LoopStep? x, LoopStep? y) => ReferenceEquals(x, y);

    public int GetHashCode(LoopStep obj) => RuntimeHelpers.GetHashCode(obj);
}

using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace GradGen.Generator;

/// <summary>Hands out C# identifiers for generated locals, each used once.</summary>
internal sealed class NameAllocator(IEnumerable<string> used, IEnumerable<string>? reserved = null)
{
    private readonly HashSet<string> _used = new(used);
    private readonly HashSet<string> _reserved = new(reserved ?? []);
    private int _nextTemp;

    /// <summary>
    /// <paramref name="hint"/> itself if it is still free (a user's local keeps its name the first
    /// time) and not a C# keyword (the tangent of <c>o</c> is not <c>do</c>), else <c>hint_1</c>, <c>hint_2</c>…
    /// avoiding every name the user wrote.
    /// </summary>
    public string Fresh(string hint)
    {
        if (SyntaxFacts.GetKeywordKind(hint) == SyntaxKind.None && _used.Add(hint)) return hint;
        for (var i = 1; ; i++)
        {
            var name = hint + "_" + i.ToString(CultureInfo.InvariantCulture);
            if (!_reserved.Contains(name) && _used.Add(name)) return name;
        }
    }

    /// <summary>A temporary: <c>t0</c>, <c>t1</c>…, never a name the user wrote.</summary>
    public string Temp()
    {
        while (true)
        {
            var name = "t" + (_nextTemp++).ToString(CultureInfo.InvariantCulture);
            if (!_reserved.Contains(name) && _used.Add(name)) return name;
        }
    }
}

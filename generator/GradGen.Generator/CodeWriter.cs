using System.Text;

namespace GradGen.Generator;

/// <summary>
/// Writes indented C# text, four spaces a level, with \n line endings whatever the machine. Indentation stops growing at
/// <see cref="MaxIndent"/> levels, so that the text of deeply nested branches stays linear in their number.
/// </summary>
internal sealed class CodeWriter
{
    private const int MaxIndent = 12;
    private readonly StringBuilder _text = new();
    private int _indent;

    public CodeWriter Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', 4 * System.Math.Min(_indent, MaxIndent)).Append(line);
        _text.Append('\n');
        return this;
    }

    public CodeWriter Lines(params string[] lines)
    {
        foreach (var line in lines) Line(line);
        return this;
    }

    public CodeWriter Open(string line)
    {
        Line(line).Line("{");
        _indent++;
        return this;
    }

    public CodeWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}

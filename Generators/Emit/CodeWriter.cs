using System.Text;

namespace MmuGuard.Generators.Emit;

/// <summary>
/// Indented C# text: the emitter writes plain lines and blocks, and the writer keeps indentation and blank lines
/// consistent so the generated file reads like hand-written code.
/// </summary>
internal sealed class CodeWriter
{
    private const string Indent = "    ";
    private readonly StringBuilder _text = new();
    private int _depth;

    public void Line(string line)
    {
        for (var i = 0; i < _depth; i++)
        {
            _text.Append(Indent);
        }

        _text.Append(line).Append('\n');
    }

    public void BlankLine() => _text.Append('\n');

    public void Open(string header)
    {
        Line(header);
        Line("{");
        _depth++;
    }

    /// <summary>Ends the innermost block; a blank line left before the brace by the last member is dropped.</summary>
    public void Close()
    {
        if (_text.Length >= 2 && _text[_text.Length - 1] == '\n' && _text[_text.Length - 2] == '\n')
        {
            _text.Length--;
        }

        _depth--;
        Line("}");
    }

    public override string ToString() => _text.ToString();
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Parley.Server.Tests.Docs;

/// <summary>
/// Reads JSON as the docs show it: shortened with <c>…</c> in place of members (<c>{"id": "bot_…", …}</c>), array items
/// (<c>[ …3 messages… ]</c>) or the end of a string. Arrays with an ellipsis are "open": they show only some items.
/// </summary>
public sealed class DocJson
{
    private readonly string _text;
    private int _at;

    private DocJson(string text) => _text = text;

    /// <summary>The arrays that showed an ellipsis, so the response may hold more items than they show.</summary>
    public HashSet<JsonArray> OpenArrays { get; } = new(ReferenceEqualityComparer.Instance);

    public List<JsonNode?> Values { get; } = [];

    /// <summary>Every value in the text, one after the other (a block may show two responses).</summary>
    public static DocJson Parse(string text)
    {
        var reader = new DocJson(text);
        for (reader.SkipSpace(); reader._at < text.Length; reader.SkipSpace())
        {
            reader.Values.Add(reader.Value());
        }
        return reader;
    }

    private JsonNode? Value()
    {
        SkipSpace();
        return Peek() switch
        {
            '{' => Object(),
            '[' => Array(),
            '"' => JsonValue.Create(String()),
            't' => Word("true", JsonValue.Create(true)),
            'f' => Word("false", JsonValue.Create(false)),
            'n' => Word<JsonNode?>("null", null),
            _ => Number(),
        };
    }

    private JsonObject Object()
    {
        Expect('{');
        var result = new JsonObject();
        for (SkipSpace(); Peek() != '}'; SkipSpace())
        {
            if (!SkipEllipsis())
            {
                var name = String();
                SkipSpace();
                Expect(':');
                result[name] = Value();
            }
            SkipSpace();
            if (Peek() == ',')
            {
                _at++;
            }
        }
        _at++;
        return result;
    }

    private JsonArray Array()
    {
        Expect('[');
        var result = new JsonArray();
        for (SkipSpace(); Peek() != ']'; SkipSpace())
        {
            if (SkipEllipsis())
            {
                OpenArrays.Add(result);
            }
            else
            {
                result.Add(Value());
            }
            SkipSpace();
            if (Peek() == ',')
            {
                _at++;
            }
        }
        _at++;
        return result;
    }

    // "…" alone, or a note between two of them: "…3 messages…".
    private bool SkipEllipsis()
    {
        if (Peek() != '…')
        {
            return false;
        }
        _at++;
        var rest = _text.IndexOfAny([',', ']', '}', '…'], _at);
        if (rest >= 0 && _text[rest] == '…')
        {
            _at = rest + 1;
        }
        return true;
    }

    private string String()
    {
        var start = _at;
        Expect('"');
        while (Peek() != '"')
        {
            _at += Peek() == '\\' ? 2 : 1;
        }
        _at++;
        return JsonNode.Parse(_text[start.._at])!.GetValue<string>();
    }

    private JsonValue Number()
    {
        var start = _at;
        while (_at < _text.Length && "+-.eE0123456789".Contains(_text[_at], StringComparison.Ordinal))
        {
            _at++;
        }
        if (start == _at)
        {
            throw Error("a value");
        }
        var token = _text[start.._at];
        return token.Contains('.', StringComparison.Ordinal) || token.Contains('e', StringComparison.OrdinalIgnoreCase)
            ? JsonValue.Create(double.Parse(token, CultureInfo.InvariantCulture))
            : JsonValue.Create(long.Parse(token, CultureInfo.InvariantCulture));
    }

    private T Word<T>(string word, T value)
    {
        if (string.CompareOrdinal(_text, _at, word, 0, word.Length) != 0)
        {
            throw Error(word);
        }
        _at += word.Length;
        return value;
    }

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Error($"'{c}'");
        }
        _at++;
    }

    private char Peek() => _at < _text.Length ? _text[_at] : throw Error("more text");

    private void SkipSpace()
    {
        while (_at < _text.Length && char.IsWhiteSpace(_text[_at]))
        {
            _at++;
        }
    }

    private FormatException Error(string expected)
    {
        var context = new StringBuilder(_text[Math.Max(0, _at - 40).._at]).Append(" ⟨here⟩ ").Append(_text[_at..Math.Min(_text.Length, _at + 40)]);
        return new FormatException($"Expected {expected} at character {_at}: {context}");
    }
}

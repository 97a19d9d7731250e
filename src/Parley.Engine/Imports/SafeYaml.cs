using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Parley.Engine.Imports;

/// <summary>
/// Reads an uploaded YAML file into JSON nodes within fixed bounds, so a hostile file cannot exhaust memory or the
/// stack: no anchors or aliases at all (the "billion laughs" bomb is built from them, and exports never use them), at
/// most <see cref="MaxDepth"/> levels of nesting, <see cref="MaxNodes"/> values and <see cref="MaxBytes"/> of text.
/// Scalars stay strings unless plain (unquoted) and readable as a number, true/false or null.
/// </summary>
public static class SafeYaml
{
    public const int MaxBytes = 10 * 1024 * 1024;
    public const int MaxDepth = 64;
    public const int MaxNodes = 200_000;

    /// <summary>The first document of <paramref name="yaml"/>; throws <see cref="ImportFileException"/> when it is not YAML or breaks a bound.</summary>
    public static JsonNode? Parse(ReadOnlyMemory<byte> yaml)
    {
        if (yaml.Length > MaxBytes)
        {
            throw new ImportFileException($"The file is larger than {MaxBytes / 1024 / 1024} MB.");
        }
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(yaml.Span);
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException("The file is not UTF-8 text.");
        }
        var parser = new Parser(new StringReader(text));
        var count = 0;
        try
        {
            parser.Consume<StreamStart>();
            if (!parser.TryConsume<DocumentStart>(out _))
            {
                return null;
            }
            return Read(parser, 0, ref count);
        }
        catch (YamlException e)
        {
            throw new ImportFileException($"The file is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}");
        }
    }

    private static JsonNode? Read(IParser parser, int depth, ref int count)
    {
        if (++count > MaxNodes)
        {
            throw new ImportFileException($"The file holds more than {MaxNodes} values; a flow export is far smaller.");
        }
        if (depth > MaxDepth)
        {
            throw new ImportFileException($"The file is nested more than {MaxDepth} levels deep; a flow export is not.");
        }
        var current = parser.Current;
        if (current is AnchorAlias || current is NodeEvent { Anchor.IsEmpty: false })
        {
            throw new ImportFileException($"The file uses YAML anchors or aliases (line {current.Start.Line}), which exports never do; they are refused so that a small file cannot expand into a huge one.");
        }
        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                return ScalarValue(scalar);
            case SequenceStart:
                parser.MoveNext();
                var array = new JsonArray();
                while (parser.Current is not SequenceEnd)
                {
                    array.Add(Read(parser, depth + 1, ref count));
                }
                parser.MoveNext();
                return array;
            case MappingStart:
                parser.MoveNext();
                var map = new JsonObject();
                while (parser.Current is not MappingEnd)
                {
                    var key = parser.Current is Scalar k ? k.Value : throw new ImportFileException($"A key that is not plain text (line {parser.Current?.Start.Line}) is not supported.");
                    parser.MoveNext();
                    var value = Read(parser, depth + 1, ref count);
                    map[key] = value;
                }
                parser.MoveNext();
                return map;
            default:
                throw new ImportFileException($"Unexpected YAML at line {current?.Start.Line}.");
        }
    }

    private static JsonValue? ScalarValue(Scalar scalar)
    {
        var value = scalar.Value;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }
        return JsonValue.Create(value);
    }
}

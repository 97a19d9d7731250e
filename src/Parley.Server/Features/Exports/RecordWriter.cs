using System.Buffers;
using System.Text;
using System.Text.Json;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Exports;

/// <summary>
/// Writes export records to a stream in one format. Rows are serialized into a buffer and written out a page at a
/// time (<see cref="FlushAsync"/>), so a slow client holds at most one page in memory.
/// </summary>
public abstract class RecordWriter(Stream output)
{
    /// <summary>A bare JSON array, as in the archive's <c>.json</c> files.</summary>
    public const string ArrayFormat = "array";

    protected ArrayBufferWriter<byte> Buffer { get; } = new(64 * 1024);

    public static RecordWriter For(string format, Stream output, ExportEntity entity, bool includePii) => format switch
    {
        "ndjson" => new NdjsonRecordWriter(output),
        "csv" => new CsvRecordWriter(output, entity.Columns(includePii)),
        "json" => new JsonArrayRecordWriter(output),
        ArrayFormat => new JsonArrayRecordWriter(output, wrapped: false),
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string ContentType(string format) => format switch
    {
        "ndjson" => "application/x-ndjson; charset=utf-8",
        "csv" => "text/csv; charset=utf-8; header=present",
        _ => "application/json; charset=utf-8",
    };

    public virtual void Begin()
    {
    }

    public abstract void Write(object record);

    /// <summary>Ends the output; <paramref name="nextCursor"/> is set when a limit cut the rows short.</summary>
    public virtual void End(string? nextCursor)
    {
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (Buffer.WrittenCount > 0)
        {
            await output.WriteAsync(Buffer.WrittenMemory, cancellationToken);
            Buffer.ResetWrittenCount();
        }
        await output.FlushAsync(cancellationToken);
    }

    protected void WriteJson(object record)
    {
        using var json = new Utf8JsonWriter(Buffer);
        JsonSerializer.Serialize(json, record, record.GetType(), ApiJson.Options);
    }

    protected void WriteText(string text) => Encoding.UTF8.GetBytes(text, Buffer);
}

/// <summary>One JSON object per line (<c>application/x-ndjson</c>).</summary>
public sealed class NdjsonRecordWriter(Stream output) : RecordWriter(output)
{
    public override void Write(object record)
    {
        WriteJson(record);
        Buffer.Write("\n"u8);
    }
}

/// <summary><c>{"data": [ … ], "next_cursor": null}</c>, streamed; or a bare array when not <paramref name="wrapped"/>.</summary>
public sealed class JsonArrayRecordWriter(Stream output, bool wrapped = true) : RecordWriter(output)
{
    private bool _first = true;

    public override void Begin() => Buffer.Write(wrapped ? "{\"data\":["u8 : "["u8);

    public override void Write(object record)
    {
        if (!_first)
        {
            Buffer.Write(","u8);
        }
        _first = false;
        WriteJson(record);
    }

    public override void End(string? nextCursor)
    {
        if (!wrapped)
        {
            Buffer.Write("]\n"u8);
            return;
        }
        Buffer.Write("],\"next_cursor\":"u8);
        WriteText(nextCursor is null ? "null" : JsonSerializer.Serialize(nextCursor));
        Buffer.Write("}"u8);
    }
}

/// <summary>
/// RFC 4180 CSV with a header row: CRLF line ends; a field with a comma, quote, CR or LF is quoted and its quotes
/// doubled. Nested values (utm, attributes, timings, …) are written as their JSON text.
/// </summary>
public sealed class CsvRecordWriter(Stream output, IReadOnlyList<string> columns) : RecordWriter(output)
{
    public override void Begin() => WriteLine(columns);

    public override void Write(object record)
    {
        var element = JsonSerializer.SerializeToElement(record, record.GetType(), ApiJson.Options);
        var fields = new string[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            fields[i] = element.TryGetProperty(columns[i], out var value) ? Field(value) : "";
        }
        WriteLine(fields);
    }

    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;

    private static string Field(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    private void WriteLine(IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                Buffer.Write(","u8);
            }
            WriteText(Quote(fields[i]));
        }
        Buffer.Write("\r\n"u8);
    }
}

using System.Text;

namespace Parley.Engine.Imports;

/// <summary>
/// Reads CSV as RFC 4180 writes it (and as spreadsheet exports do): fields separated by commas, quoted with double
/// quotes when they hold a comma, a quote (doubled) or a line break; lines ended by CRLF or LF. Bounded: a file over
/// the bounds, with an unterminated quote or a row wider than its header is refused with the place it went wrong.
/// </summary>
internal static class CsvTable
{
    /// <summary>The rows, the header first; every row padded to the header's width.</summary>
    public static List<string[]> Read(string text, int maxRows, int maxColumns, int maxCellLength)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var (quoted, wasQuoted, line) = (false, false, 1);
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : '\n';
            if (quoted)
            {
                if (i == text.Length)
                {
                    throw new ImportFileException($"A quoted field that starts on or before line {line} never ends.");
                }
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    line += c == '\n' ? 1 : 0;
                    Add(cell, c, line, maxCellLength);
                }
                continue;
            }
            switch (c)
            {
                case '"' when cell.Length == 0 && !wasQuoted:
                    (quoted, wasQuoted) = (true, true);
                    break;
                case ',':
                    EndCell();
                    break;
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\n' or '\r':
                    if (i == text.Length && row.Count == 0 && cell.Length == 0 && !wasQuoted)
                    {
                        break; // the file ended with its last line's break
                    }
                    EndCell();
                    if (row.Count > 1 || row[0].Length > 0)
                    {
                        EndRow();
                    }
                    row.Clear();
                    line++;
                    break;
                default:
                    Add(cell, c, line, maxCellLength);
                    break;
            }
        }
        return rows;

        void EndCell()
        {
            row.Add(cell.ToString());
            cell.Clear();
            wasQuoted = false;
        }

        void EndRow()
        {
            if (rows.Count == 0 && row.Count > maxColumns)
            {
                throw new ImportFileException($"The header has {row.Count} columns; at most {maxColumns} are read.");
            }
            if (rows.Count > 0 && row.Count > rows[0].Length)
            {
                throw new ImportFileException($"Line {line} has {row.Count} fields; the header has {rows[0].Length}.");
            }
            if (rows.Count > maxRows)
            {
                throw new ImportFileException($"The file has more than {maxRows} rows; split it and import each part.");
            }
            rows.Add(rows.Count == 0 ? [.. row] : [.. row, .. Enumerable.Repeat("", rows[0].Length - row.Count)]);
        }
    }

    private static void Add(StringBuilder cell, char c, int line, int maxCellLength)
    {
        if (cell.Length >= maxCellLength)
        {
            throw new ImportFileException($"A field on line {line} is longer than {maxCellLength} characters.");
        }
        cell.Append(c);
    }
}

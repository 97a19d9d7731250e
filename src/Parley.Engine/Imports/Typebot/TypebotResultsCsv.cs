using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Engine.Imports.Typebot;

/// <summary>The details a row of results collected for a lead: an email address, and the name, phone and company when asked.</summary>
public sealed record ImportedLead(string Email, string? Name, string? Phone, string? Company, IReadOnlyDictionary<string, string> Custom);

/// <summary>
/// One row of Typebot's results: <see cref="Key"/> (a hash of the row's cells, which stays the same in a later export,
/// so importing it again adds nothing), the conversation it becomes and the lead, when it collected an email.
/// </summary>
public sealed record TypebotResult(string Key, ImportedConversation Conversation, ImportedLead? Lead);

/// <summary>The rows of a results export and notes about what was read approximately.</summary>
public sealed record TypebotResults(IReadOnlyList<TypebotResult> Rows, IReadOnlyList<string> Notes);

/// <summary>
/// Reads Typebot's results export (Results → Export → CSV): a header "Submitted at", then one column per input block
/// (titled with its variable's name, or its group's title) and one per other variable, and a row per result. Each row
/// becomes a conversation in which the bot asks each column's title and the visitor gives the row's answer, at the
/// submission time; <c>utm_…</c> columns become the conversation's UTM parameters instead. A row with an email address
/// in a column whose title names an email (or, failing that, any column) also yields a lead.
/// </summary>
public static class TypebotResultsCsv
{
    public const string SubmittedAt = "Submitted at";
    public const int MaxRows = 20_000;
    public const int MaxColumns = 200;
    public const int MaxCellLength = 8000;

    /// <summary>Whether the file is a results export rather than a flow export: text whose first header is "Submitted at".</summary>
    public static bool IsResultsExport(ReadOnlySpan<byte> file)
    {
        var start = file.StartsWith("\uFEFF"u8) ? file[3..] : file;
        var head = Encoding.UTF8.GetString(start[..Math.Min(start.Length, 64)]).TrimStart();
        return head.StartsWith(SubmittedAt, StringComparison.OrdinalIgnoreCase) || head.StartsWith('"' + SubmittedAt, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The file's rows. <paramref name="now"/> dates the rows whose time cannot be read, and gives the year Typebot
    /// leaves out for results of the current year.
    /// </summary>
    public static TypebotResults Read(ReadOnlyMemory<byte> file, DateTimeOffset now)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file.Span);
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException("The file is not UTF-8 text.");
        }
        var table = CsvTable.Read(text.TrimStart('\uFEFF'), MaxRows, MaxColumns, MaxCellLength);
        if (table.Count == 0 || !table[0][0].Trim().Equals(SubmittedAt, StringComparison.OrdinalIgnoreCase))
        {
            throw new ImportFileException($"The first column of a Typebot results export is '{SubmittedAt}'; this file's is '{(table.Count == 0 ? "" : table[0][0])}'.");
        }
        var header = table[0].Select(h => h.Trim()).ToArray();
        var emailColumns = Enumerable.Range(1, header.Length - 1).Where(i => Says(header[i], "mail")).ToList();
        var undated = 0;
        var rows = new List<TypebotResult>();
        foreach (var cells in table.Skip(1))
        {
            var at = Time(cells[0], now);
            undated += at is null ? 1 : 0;
            rows.Add(Row(header, cells.Select(Unescape).ToArray(), at ?? now, emailColumns));
        }
        var notes = new List<string>
        {
            "Typebot writes each result's time in the exporting browser's time zone without saying which; it is read as UTC.",
            "Every column is a question the bot asked, titled as in Typebot's results table; columns of variables the flow set itself read as questions too.",
        };
        if (undated > 0)
        {
            notes.Add($"The submission time of {undated} rows could not be read; they are dated at the import.");
        }
        return new TypebotResults(rows, notes);
    }

    private static TypebotResult Row(string[] header, string[] cells, DateTimeOffset at, List<int> emailColumns)
    {
        var messages = new List<ImportedMessage>();
        var utm = new Dictionary<string, string>();
        for (var i = 1; i < header.Length; i++)
        {
            var value = cells[i].Trim();
            if (value.Length == 0)
            {
                continue;
            }
            if (header[i].StartsWith("utm_", StringComparison.OrdinalIgnoreCase) && header[i].Length <= 50 && utm.Count < 10)
            {
                utm[header[i].ToLowerInvariant()] = ImportJson.Clip(value, 200);
                continue;
            }
            messages.Add(new ImportedMessage(ImportedRole.Bot, header[i].Length > 0 ? header[i] : $"Column {i + 1}", at));
            messages.Add(new ImportedMessage(ImportedRole.User, value, at));
        }
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', cells))))[..32];
        var lead = Lead(header, cells, emailColumns);
        var conversation = new ImportedConversation(key, messages)
        {
            Utm = utm,
            Contact = lead is null ? null : new ImportedContact(key, lead.Name, lead.Email, null),
        };
        return new TypebotResult(key, conversation, lead);
    }

    private static ImportedLead? Lead(string[] header, string[] cells, List<int> emailColumns)
    {
        var columns = Enumerable.Range(1, header.Length - 1).ToList();
        var email = emailColumns.Concat(columns).Select(i => cells[i].Trim()).FirstOrDefault(IsEmail);
        if (email is null)
        {
            return null;
        }
        string? Field(params string[] words) =>
            columns.Where(i => words.Any(w => Says(header[i], w)) && !emailColumns.Contains(i)).Select(i => cells[i].Trim()).FirstOrDefault(v => v.Length > 0);
        var name = Field("name", "nom", "nombre");
        var phone = Field("phone", "tel", "mobile", "whatsapp");
        var company = Field("company", "business", "organisation", "organization", "entreprise", "empresa");
        var custom = columns.Where(i => cells[i].Trim().Length > 0 && !header[i].StartsWith("utm_", StringComparison.OrdinalIgnoreCase) && header[i].Length is > 0 and <= 100)
            .Where(i => cells[i].Trim() != email && cells[i].Trim() != name && cells[i].Trim() != phone && cells[i].Trim() != company)
            .DistinctBy(i => header[i]).Take(50)
            .ToDictionary(i => header[i], i => ImportJson.Clip(cells[i].Trim(), 1000));
        return new ImportedLead(email, name is null ? null : ImportJson.Clip(name, 200), phone, company is null ? null : ImportJson.Clip(company, 200), custom);
    }

    /// <summary>Whether a column's title names the thing: a word of it, in any case, ignoring spaces and underscores.</summary>
    private static bool Says(string title, string word) =>
        title.Replace("_", " ", StringComparison.Ordinal).Replace("-", " ", StringComparison.Ordinal).Contains(word, StringComparison.OrdinalIgnoreCase);

    private static bool IsEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == value.LastIndexOf('@') && value.IndexOf('.', at) > at + 1 && !value.EndsWith('.') && value.Length <= 320
            && !value.Any(char.IsWhiteSpace);
    }

    /// <summary>Typebot puts a quote before a cell starting with = + - @ so that spreadsheets do not run it as a formula; the answer is what follows.</summary>
    private static string Unescape(string cell) => cell.Length > 1 && cell[0] == '\'' && cell[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? cell[1..] : cell;

    private static readonly string[] DatedFormats = ["MMM d, yyyy, hh:mm tt", "MMM d, yyyy, h:mm tt", "MMM d, yyyy, HH:mm", "MMM d, yyyy HH:mm", "MMM d, yyyy, h:mm:ss tt"];
    private static readonly string[] YearlessFormats = ["MMM d, hh:mm tt", "MMM d, h:mm tt", "MMM d, HH:mm", "MMM d, h:mm:ss tt"];

    /// <summary>
    /// Typebot's time ("Dec 3, 09:15 AM" this year, "Nov 28, 2025, 10:02 AM" before, in English), or ISO 8601; null
    /// when neither.
    /// </summary>
    private static DateTimeOffset? Time(string cell, DateTimeOffset now)
    {
        var text = cell.Trim().Replace('\u202f', ' ').Replace('\u00a0', ' ');
        var styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal | DateTimeStyles.AllowWhiteSpaces;
        if (DateTimeOffset.TryParseExact(text, DatedFormats, CultureInfo.InvariantCulture, styles, out var dated))
        {
            return dated;
        }
        if (DateTime.TryParseExact(text, YearlessFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var yearless))
        {
            var thisYear = new DateTimeOffset(now.Year, yearless.Month, Math.Min(yearless.Day, DateTime.DaysInMonth(now.Year, yearless.Month)),
                yearless.Hour, yearless.Minute, yearless.Second, TimeSpan.Zero);
            return thisYear > now.AddDays(1) ? thisYear.AddYears(-1) : thisYear;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var iso) && text.Contains('-', StringComparison.Ordinal) ? iso : null;
    }
}

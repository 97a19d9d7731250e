using System.Text.Json.Nodes;

namespace Parley.Engine.Imports.Botpress;

/// <summary>
/// A Botpress bot's Q&amp;A entries (<c>qna/*.json</c>: <c>{ id, data: { action, enabled, questions, answers } }</c>,
/// each list by language in v12, a plain list before) as knowledge texts, one per entry: its questions as the heading,
/// its answers as the text, so the built-in answerer finds the answer where the visitor asks one of the questions.
/// Each entry gets a line in the report.
/// </summary>
internal sealed class BotpressQna(BotpressArchive archive, ImportedFlowBuilder report)
{
    private const string Group = "Q&A";
    private const string SourceType = "qna";

    public IReadOnlyList<ImportedKnowledge> Map()
    {
        var knowledge = new List<ImportedKnowledge>();
        foreach (var (file, entry) in archive.Qna)
        {
            var id = ImportJson.Text(entry, "id") ?? Path.GetFileNameWithoutExtension(file);
            var data = ImportJson.Object(entry, "data") ?? entry;
            var questions = Texts(data, "questions");
            var answers = Texts(data, "answers");
            var action = ImportJson.Text(data, "action") ?? "text";
            void Report(string outcome, string? note) => report.Report(Group, id, SourceType, outcome, note);
            if (data["enabled"] is JsonValue && !ImportJson.IsTrue(data, "enabled"))
            {
                Report(ImportOutcome.NotCarried, "The entry is disabled in Botpress.");
                continue;
            }
            if (questions.Count == 0 || answers.Count == 0 || action == "redirect")
            {
                Report(ImportOutcome.NotCarried, action == "redirect"
                    ? $"The entry only sends the visitor to {ImportJson.Text(data, "redirectFlow") ?? "another flow"}; Parley's answers come from text, so there is nothing to carry over."
                    : $"The entry has no {(questions.Count == 0 ? "question" : "answer")} in the bot's language ({archive.Language}).");
                continue;
            }
            var heading = ImportJson.Clip(string.Join(" / ", questions.Select(q => q.ReplaceLineEndings(" "))), 1000);
            knowledge.Add(new ImportedKnowledge(ImportJson.Clip(questions[0], 300), $"# {heading}\n\n{string.Join("\n\n", answers)}\n"));
            var notes = new List<string>();
            if (action == "text_redirect")
            {
                notes.Add($"The answer is kept; the redirect to {ImportJson.Text(data, "redirectFlow") ?? "another flow"} after it is not.");
            }
            if (answers.Count > 1)
            {
                notes.Add($"Botpress said one of its {answers.Count} answers at random; the knowledge text holds them all, and the answerer picks the sentence that fits the question.");
            }
            Report(notes.Count == 0 ? ImportOutcome.Created : ImportOutcome.Approximate,
                $"Became the knowledge text '{ImportJson.Clip(questions[0], 300)}'." + string.Concat(notes.Select(n => " " + n)));
        }
        return knowledge;
    }

    /// <summary>The entry's questions or answers in the bot's language (or the plain list of an older Botpress), without blanks.</summary>
    private List<string> Texts(JsonObject data, string name)
    {
        var list = data[name] switch
        {
            JsonObject byLanguage => byLanguage[archive.Language] as JsonArray,
            JsonArray plain => plain,
            _ => null,
        };
        return [.. (list ?? []).Select(ImportJson.Text).OfType<string>().Select(t => t.Trim()).Where(t => t.Length > 0)];
    }
}

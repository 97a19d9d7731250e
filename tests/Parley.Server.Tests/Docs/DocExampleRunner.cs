using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Parley.Server.Tests.Docs;

/// <summary>
/// Runs the examples of one page marked <c>sh run</c>, in order, with bash and curl against a <see cref="DocServer"/>,
/// as a reader would paste them: the shell starts as the README leaves it (<c>$KEY</c>, <c>$BOT</c>), shell variables
/// set by one example (<c>CONV=conv_…</c>) are there for the next, and the ids the docs show are replaced by the ones the server gave. Each example is checked against
/// the response blocks that follow it directly: the status (an <c>HTTP/1.1 201</c> line, a problem's <c>status</c>, or
/// any 2xx), the headers shown and the fields shown (<see cref="DocShape"/>).
/// </summary>
public sealed partial class DocExampleRunner(DocServer server, string page)
{
    private readonly Dictionary<string, string> _ids = new(StringComparer.Ordinal);
    private readonly string _state = Path.Combine(server.WorkingDirectory, ".doc-run");

    public List<string> Failures { get; } = [];
    public int Run { get; private set; }

    public async Task RunAsync()
    {
        Directory.CreateDirectory(_state);
        var blocks = DocPages.Blocks(page);
        var variables = blocks.Where(b => b.Block.IsRunnable)
            .SelectMany(b => Assignment().Matches(b.Block.Text).Select(m => m.Groups["name"].Value))
            .Concat(["KEY", "BOT"]).Distinct(StringComparer.Ordinal).ToList();
        await WriteReadersShellAsync();
        for (var i = 0; i < blocks.Count; i++)
        {
            if (!blocks[i].Block.IsRunnable)
            {
                continue;
            }
            var expected = blocks.Skip(i + 1).TakeWhile(b => b.FollowsDirectly && !b.Block.IsShell).Select(b => b.Block).ToList();
            await RunExampleAsync(blocks[i].Block, expected, variables);
            Run++;
        }
    }

    // Every page may assume the shell the README leaves its reader with: $KEY, the owner key, and $BOT, the demo bot.
    private async Task WriteReadersShellAsync()
    {
        var key = (await File.ReadAllTextAsync(Path.Combine(server.WorkingDirectory, "data", "admin-key.txt"))).Trim();
        using var client = new HttpClient { BaseAddress = new Uri(server.Url) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var bot = (string)JsonNode.Parse(await client.GetStringAsync(new Uri("/v1/bots", UriKind.Relative)))!["data"]![0]!["id"]!;
        await File.WriteAllTextAsync(Path.Combine(_state, "variables"), $"KEY='{key}'\nBOT='{bot}'\n");
    }

    private async Task RunExampleAsync(CodeBlock example, List<CodeBlock> expectedBlocks, List<string> variables)
    {
        var shape = new DocShape(_ids);
        var outputs = Path.Combine(_state, "responses");
        if (Directory.Exists(outputs))
        {
            Directory.Delete(outputs, recursive: true);
        }
        Directory.CreateDirectory(outputs);
        var script = new StringBuilder()
            .AppendLine("cd \"$DOC_DIR\"")
            .AppendLine("[ -f \"$DOC_STATE/variables\" ] && . \"$DOC_STATE/variables\"")
            // Each call's body goes to the terminal as usual and to a numbered file; its status to another.
            .AppendLine("curl() { local n; n=$(ls \"$DOC_OUT\" | wc -l); command curl -w '%{stderr}%{http_code}' \"$@\" 2>\"$DOC_OUT/$n.status\" | tee \"$DOC_OUT/$n.body\"; }")
            .AppendLine(shape.WithActualIds(Localize(example.Text)))
            .AppendLine($"declare -p {string.Join(' ', variables)} > \"$DOC_STATE/variables\" 2>/dev/null || true")
            .ToString();
        var (exit, stdout, stderr) = await BashAsync(script, outputs);
        if (exit != 0)
        {
            Failures.Add($"{example}: bash exited with {exit}: {stderr}{stdout}");
            return;
        }

        var responses = Directory.GetFiles(outputs, "*.body").Select(f => int.Parse(Path.GetFileNameWithoutExtension(f), System.Globalization.CultureInfo.InvariantCulture))
            .Order().Select(n => Response.Read(File.ReadAllText(Path.Combine(outputs, $"{n}.body")), File.ReadAllText(Path.Combine(outputs, $"{n}.status")))).ToList();
        List<Expectation> expectations;
        try
        {
            expectations = Expectation.From(expectedBlocks.Select(b => Localize(b.Text)));
        }
        catch (FormatException e)
        {
            Failures.Add($"{expectedBlocks[0]}: the response shown cannot be read: {e.Message}");
            return;
        }
        if (expectations.Count > responses.Count)
        {
            Failures.Add($"{example}: the doc shows {expectations.Count} responses, the example made {responses.Count} requests");
            return;
        }
        var firstExpected = responses.Count - expectations.Count;
        for (var r = 0; r < responses.Count; r++)
        {
            var response = responses[r];
            var expectation = r >= firstExpected ? expectations[r - firstExpected] : null;
            Check(example, response, expectation, shape);
        }
        Failures.AddRange(shape.Differences.Select(d => $"{example}: {d}"));
    }

    private void Check(CodeBlock example, Response response, Expectation? expectation, DocShape shape)
    {
        var status = expectation?.Status;
        if (status is null ? response.Status is < 200 or > 299 : response.Status != status)
        {
            Failures.Add($"{example}: expected {(status is null ? "a 2xx status" : status.ToString())}, the server answered {response.Status}: {Shorten(response.Body)}");
            return;
        }
        if (expectation is null)
        {
            return;
        }
        foreach (var (name, value) in expectation.Headers)
        {
            if (!response.Headers.TryGetValue(name, out var sent))
            {
                Failures.Add($"{example}: header {name} shown in the doc, missing from the response");
            }
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) ? !sent.StartsWith(value.Split(';')[0], StringComparison.OrdinalIgnoreCase)
                     : name.Equals("Location", StringComparison.OrdinalIgnoreCase) && !shape.TextMatches(value, sent))
            {
                Failures.Add($"{example}: header {name} is '{sent}', the doc shows '{value}'");
            }
        }
        if (expectation.Body is { } body)
        {
            JsonNode? sent;
            try
            {
                sent = JsonNode.Parse(response.Body);
            }
            catch (System.Text.Json.JsonException)
            {
                Failures.Add($"{example}: the doc shows JSON, the server sent: {Shorten(response.Body)}");
                return;
            }
            shape.Compare(body, sent, expectation.OpenArrays);
        }
    }

    // The docs address the server as a reader runs it, on localhost:5080.
    private string Localize(string text) => text.Replace("http://localhost:5080", server.Url, StringComparison.Ordinal)
        .Replace("localhost:5080", server.Url, StringComparison.Ordinal);

    private async Task<(int Exit, string Stdout, string Stderr)> BashAsync(string script, string outputs)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = server.WorkingDirectory,
        };
        start.Environment["DOC_DIR"] = server.WorkingDirectory;
        start.Environment["DOC_STATE"] = _state;
        start.Environment["DOC_OUT"] = outputs;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Shorten(string text) => text.Length > 300 ? text[..300] + "…" : text;

    [GeneratedRegex(@"^\s*(?:export\s+)?(?<name>[A-Z_][A-Z0-9_]*)=", RegexOptions.Multiline)]
    private static partial Regex Assignment();

    private sealed record Response(int Status, Dictionary<string, string> Headers, string Body)
    {
        public static Response Read(string output, string status)
        {
            var code = int.Parse(status.Length >= 3 ? status[^3..] : "0", System.Globalization.CultureInfo.InvariantCulture);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (!output.StartsWith("HTTP/", StringComparison.Ordinal))
            {
                return new Response(code, headers, output);
            }
            var normalized = output.Replace("\r\n", "\n", StringComparison.Ordinal);
            var end = normalized.IndexOf("\n\n", StringComparison.Ordinal);
            var head = end < 0 ? normalized : normalized[..end];
            foreach (var line in head.Split('\n').Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }
            return new Response(code, headers, end < 0 ? "" : normalized[(end + 2)..]);
        }
    }

    /// <summary>What a doc shows of one response: an <c>HTTP/1.1</c> status line and headers, and a (shortened) body.</summary>
    private sealed record Expectation(int? Status, List<(string Name, string Value)> Headers, JsonNode? Body, ISet<JsonArray> OpenArrays)
    {
        public static List<Expectation> From(IEnumerable<string> blocks)
        {
            var result = new List<Expectation>();
            foreach (var block in blocks)
            {
                var text = block.Trim();
                if (text.StartsWith("HTTP/", StringComparison.Ordinal))
                {
                    var end = text.IndexOf("\n\n", StringComparison.Ordinal);
                    var lines = (end < 0 ? text : text[..end]).Split('\n');
                    var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2).Select(p => (p[0].Trim(), p[1].Trim())).ToList();
                    var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                    var body = end < 0 ? null : DocJson.Parse(text[(end + 2)..]);
                    result.Add(new Expectation(status, headers, body?.Values.SingleOrDefault(), body?.OpenArrays ?? new HashSet<JsonArray>()));
                }
                else
                {
                    var json = DocJson.Parse(text);
                    foreach (var value in json.Values)
                    {
                        // A body shown after a bare status line belongs to it.
                        if (result.Count > 0 && result[^1] is { Body: null } head && head.Status is not null && json.Values.Count == 1)
                        {
                            result[^1] = head with { Body = value, OpenArrays = json.OpenArrays };
                            continue;
                        }
                        var status = value is JsonObject problem && problem["status"] is JsonValue s && s.TryGetValue<long>(out var n) && problem.ContainsKey("code") ? (int?)n : null;
                        result.Add(new Expectation(status, [], value, json.OpenArrays));
                    }
                }
            }
            return result;
        }
    }
}

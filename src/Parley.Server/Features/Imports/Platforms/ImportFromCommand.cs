using Parley.Server.Features.Imports.Platforms.Chatwoot;

namespace Parley.Server.Features.Imports.Platforms;

/// <summary>
/// <c>import-from &lt;source&gt; &lt;file&gt;</c> on the command line: another platform's export into a bot, on the
/// database the server is configured with, through the same <see cref="FlowImporter"/> as POST /v1/imports/{source}.
/// Arguments it does not know configure the application as they would configure the server.
/// </summary>
public sealed record ImportFromCommand(
    string Source, string FilePath, string Bot, string? WorkspaceId, bool Publish, IReadOnlyList<string> ConfigurationArgs)
{
    /// <summary>For <c>import-from chatwoot</c>, which reads an account over Chatwoot's API rather than a file.</summary>
    public ChatwootArguments? Chatwoot { get; init; }

    public const string Name = "import-from";

    public const int ExitOk = 0;

    /// <summary>The file cannot be imported, or the database could not be written; nothing was changed.</summary>
    public const int ExitFailed = 1;

    public const int ExitUsage = 2;

    public static IReadOnlyList<string> Sources => [.. PlatformSources.All.Select(s => s.Name), ChatwootImporter.Source];

    public const string Usage = """
        Usage:
          Parley.Server import-from typebot <export.json> [options]   import a Typebot flow export into a bot
          Parley.Server import-from typebot <results.csv> [options]   import Typebot's results (past conversations and leads) into a bot
          Parley.Server import-from botpress <bot.tgz> [options]      import a Botpress v12 bot archive (flows, and Q&A as knowledge)
          Parley.Server import-from dify <app.yml> [options]          import a Dify DSL export (chatflow, workflow or chat app)
          Parley.Server import-from flowise <chatflow.json> [options] import a Flowise chatflow or AgentFlow v2 export, or ExportData.json
          Parley.Server import-from chatwoot --url <https://chatwoot.example> --account <id> --token-file <file> [--inbox <id>] [options]
                                                              import a Chatwoot account's contacts and conversations over its API

        Works on the database the server is configured with (appsettings.json, environment variables such as
        Parley__DataDirectory or ConnectionStrings__Parley, or --Parley:Database:Provider=… arguments), with the same
        mapping as POST /v1/imports/<platform>. The report (every block of the source: created, approximate or not carried over,
        and why) is written to standard output.

        options:
          --bot <id|new>       the bot whose draft flow the import replaces, or new (the default) for a new bot
          --publish            publish the imported flow as the bot's next version (default: draft only)
          --workspace <id>     the workspace; needed only when the database holds several
          --url, --account, --token-file, --inbox
                               chatwoot: the address Chatwoot is served on, the account's number, a file holding a
                               user's access token (kept out of the command line and its history), and one inbox only
          -h, --help           this text

        Importing the same file into the same bot again changes nothing; importing a Chatwoot account again adds only what is new.
        Exit codes: 0 done, 1 failed (nothing written), 2 wrong command line.
        """;

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == Name;

    /// <summary>The command, or the exit code when it is help or a usage error (written to <paramref name="error"/>).</summary>
    public static (ImportFromCommand? Command, int? Exit) Parse(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Skip(1).Any(a => a is "--help" or "-h"))
        {
            output.WriteLine(Usage);
            return (null, ExitOk);
        }
        string? source = null, file = null, bot = null, workspace = null, url = null, account = null, tokenFile = null, inbox = null;
        var publish = false;
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            var name = arg.Split('=', 2)[0];
            string Value() => arg.Contains('=', StringComparison.Ordinal) ? arg[(arg.IndexOf('=', StringComparison.Ordinal) + 1)..] : i + 1 < args.Length ? args[++i] : "";
            switch (name)
            {
                case "--bot":
                    bot = Value();
                    break;
                case "--workspace":
                    workspace = Value();
                    break;
                case "--url":
                    url = Value();
                    break;
                case "--account":
                    account = Value();
                    break;
                case "--token-file":
                    tokenFile = Value();
                    break;
                case "--inbox":
                    inbox = Value();
                    break;
                case "--publish":
                    publish = true;
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        if (!name.Contains(':', StringComparison.Ordinal))
                        {
                            return UsageError(error, $"Unknown option '{name}' for {Name}.");
                        }
                        rest.Add(arg);
                        if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length)
                        {
                            rest.Add(args[++i]);
                        }
                    }
                    else if (source is null)
                    {
                        source = arg;
                    }
                    else if (file is null)
                    {
                        file = arg;
                    }
                    else
                    {
                        return UsageError(error, $"Unexpected argument '{arg}'.");
                    }
                    break;
            }
        }
        if (source is null || !Sources.Contains(source))
        {
            return UsageError(error, $"{Name} needs the platform first; known: {string.Join(", ", Sources)}.");
        }
        if (source == ChatwootImporter.Source)
        {
            return ChatwootCommand(error, file, url, account, tokenFile, inbox, bot, workspace, rest);
        }
        if (string.IsNullOrWhiteSpace(file))
        {
            return UsageError(error, $"{Name} {source} needs the exported file: {Name} {source} <export.json>.");
        }
        if (bot is { Length: 0 } || workspace is { Length: 0 })
        {
            return UsageError(error, bot is { Length: 0 } ? "--bot needs a bot id or new." : "--workspace needs a workspace id.");
        }
        return (new ImportFromCommand(source, file, bot ?? FlowImporter.NewBot, workspace, publish, rest), null);
    }

    private static (ImportFromCommand?, int?) ChatwootCommand(
        TextWriter error, string? file, string? url, string? account, string? tokenFile, string? inbox, string? bot, string? workspace, List<string> rest)
    {
        if (file is not null)
        {
            return UsageError(error, $"{Name} chatwoot reads an account over Chatwoot's API, not a file: give --url, --account and --token-file.");
        }
        if (string.IsNullOrWhiteSpace(url) || string.IsNullOrWhiteSpace(tokenFile) || !long.TryParse(account, out var accountId) || accountId <= 0)
        {
            return UsageError(error, $"{Name} chatwoot needs --url <address of Chatwoot>, --account <number> and --token-file <file with the access token>.");
        }
        long? inboxId = null;
        if (inbox is not null)
        {
            if (!long.TryParse(inbox, out var parsed) || parsed <= 0)
            {
                return UsageError(error, "--inbox needs the number of an inbox.");
            }
            inboxId = parsed;
        }
        if (bot is { Length: 0 } || workspace is { Length: 0 })
        {
            return UsageError(error, bot is { Length: 0 } ? "--bot needs a bot id or new." : "--workspace needs a workspace id.");
        }
        return (new ImportFromCommand(ChatwootImporter.Source, "", bot ?? FlowImporter.NewBot, workspace, false, rest)
        {
            Chatwoot = new ChatwootArguments(url, accountId, tokenFile, inboxId),
        }, null);
    }

    private static (ImportFromCommand?, int?) UsageError(TextWriter error, string message)
    {
        error.WriteLine("error: " + message);
        error.WriteLine($"Run {Name} --help for the usage.");
        return (null, ExitUsage);
    }
}

/// <summary>What <c>import-from chatwoot</c> reads: the address, the account, the file holding the access token, and optionally one inbox.</summary>
public sealed record ChatwootArguments(string Url, long AccountId, string TokenFile, long? InboxId);

using System.Globalization;

namespace Parley.Bench.Load;

/// <summary>What to load and for how long, from the command line.</summary>
public sealed record LoadOptions(Uri Url, string Key, int Concurrency, TimeSpan Duration, TimeSpan Warmup, string? BotId, bool FakeOpenAi = false,
    int? ServerPid = null, bool NewBot = false,
    int History = 0, long Filler = 0, string? Database = null,
    double Rate = 0, bool Vary = false, TimeSpan? MemoryEvery = null, int ConversationTurns = 0)
{
    public const string Usage = """
        Parley HTTP load driver: N conversations, each sending messages in a closed loop.

          --url URL            server base address (default http://127.0.0.1:5080)
          --key sk_...         secret key, or
          --key-file PATH      a file holding it (e.g. <data dir>/admin-key.txt)
          --concurrency N      concurrent conversations (default 32)
          --duration S         measured seconds (default 20)
          --warmup S           unmeasured seconds before that (default 30)
          --bot bot_...        bot to talk to (default: the first from GET /v1/bots)
          --fake-openai        serve the OpenAI Chat Completions protocol on a loopback port and talk to a
                               new bot whose model provider is that server (the server needs
                               Parley:Network:AllowPrivateTargets=true)
          --new-bot            talk to a new bot without knowledge (it answers with its fallback text)
          --server-pid PID     the server's process id: reports its CPU per turn and working set (Linux)
          --history N          before the run, give each conversation N more messages (copies of its first turn,
                               written into the SQLite file given by --database)
          --filler N           before the run, add N messages in other conversations (10,000 each)
          --database PATH      the server's SQLite file, for --history and --filler (<data dir>/parley.db)
          --rate R             at most R turns per second in all (default: each conversation sends its next
                               message as soon as the reply comes)
          --conversation-turns N
                               each simulated visitor starts a new conversation after N messages (default:
                               one conversation for the whole run; a bot with knowledge hands a long
                               conversation of unanswered questions to a person, and stops answering it)
          --vary               number every message, so no two are alike (caches keyed by text see new text)
          --memory-every S     with --server-pid, sample the server's working set every S seconds of the
                               measured window and report the series (for long runs: does memory grow?)
        """;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var url = new Uri("http://127.0.0.1:5080");
        string? key = null;
        string? keyFile = null;
        var concurrency = 32;
        var duration = 20.0;
        var warmup = 30.0; // tiered compilation needs 20-30 s under load before figures settle
        string? bot = null;
        var fakeOpenAi = false;
        var newBot = false;
        int? serverPid = null;
        var history = 0;
        var filler = 0L;
        string? database = null;
        var rate = 0.0;
        var vary = false;
        double? memoryEvery = null;
        var conversationTurns = 0;

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--fake-openai")
            {
                fakeOpenAi = true;
                continue;
            }
            if (name == "--new-bot")
            {
                newBot = true;
                continue;
            }
            if (name == "--vary")
            {
                vary = true;
                continue;
            }
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--url": url = new Uri(value.TrimEnd('/') + "/"); break;
                case "--key": key = value; break;
                case "--key-file": keyFile = value; break;
                case "--concurrency": concurrency = PositiveInt(name, value); break;
                case "--duration": duration = PositiveNumber(name, value, allowZero: false); break;
                case "--warmup": warmup = PositiveNumber(name, value, allowZero: true); break;
                case "--bot": bot = value; break;
                case "--server-pid": serverPid = PositiveInt(name, value); break;
                case "--history": history = PositiveInt(name, value); break;
                case "--filler": filler = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
                    : throw new ArgumentException($"--filler must be a positive whole number, not '{value}'."); break;
                case "--database": database = value; break;
                case "--conversation-turns": conversationTurns = PositiveInt(name, value); break;
                case "--rate": rate = PositiveNumber(name, value, allowZero: false); break;
                case "--memory-every": memoryEvery = PositiveNumber(name, value, allowZero: false); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        if (key is null && keyFile is not null)
        {
            key = File.ReadAllText(keyFile).Trim();
        }
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("A secret key is required: --key sk_... or --key-file PATH.");
        }
        if (conversationTurns > 0 && (history > 0 || filler > 0))
        {
            throw new ArgumentException("--conversation-turns cannot be combined with --history or --filler.");
        }
        if (memoryEvery is not null && serverPid is null)
        {
            throw new ArgumentException("--memory-every needs --server-pid.");
        }
        return new LoadOptions(url, key, concurrency, TimeSpan.FromSeconds(duration), TimeSpan.FromSeconds(warmup), bot, fakeOpenAi, serverPid, newBot,
            history, filler, database, rate, vary, memoryEvery is { } every ? TimeSpan.FromSeconds(every) : null, conversationTurns);
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive whole number, not '{value}'.");

    private static double PositiveNumber(string name, string value, bool allowZero) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && (s > 0 || (allowZero && s == 0))
            ? s
            : throw new ArgumentException($"{name} must be a positive number, not '{value}'.");
}

using System.Diagnostics;
using Parley.Bench.Load;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or IOException or UriFormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine();
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

try
{
    var report = await RunAsync(options);
    Console.WriteLine(report.ToTable());
    Console.WriteLine(report.ToJson());
    return 0;
}
catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or OperationCanceledException)
{
    // The server refused the key, is not there, or never answered: say so plainly rather than with a stack trace.
    Console.Error.WriteLine($"The benchmark could not run against {options.Url}: {ex.Message}");
    return 1;
}

static async Task<LoadReport> RunAsync(LoadOptions options)
{
    using var client = new ParleyClient(options);
    // A hard stop well after the run should have ended, so a hung server cannot hang the benchmark. Seeding 10 million
    // messages takes minutes on a busy machine: the stop is counted again from when seeding ends.
    var runLimit = options.Warmup + options.Duration + TimeSpan.FromMinutes(1);
    var seeding = options.History > 0 || options.Filler > 0;
    using var deadline = new CancellationTokenSource(seeding ? runLimit + TimeSpan.FromHours(1) : runLimit);
    await using var fake = options.FakeOpenAi ? await FakeOpenAiServer.StartAsync() : null;
    var botId = fake is not null ? await client.CreateModelBotAsync(fake.BaseUrl, deadline.Token)
        : options.NewBot ? await client.CreatePlainBotAsync(deadline.Token)
        : options.BotId ?? await client.FirstBotIdAsync(deadline.Token);
    var server = options.ServerPid is { } pid ? new ServerProcess(pid) : null;

    var window = new MeasurementWindow(options.Warmup, options.Duration);
    var pace = options.Rate > 0 ? TimeSpan.FromSeconds(options.Concurrency / options.Rate) : TimeSpan.Zero;
    var workers = Enumerable.Range(0, options.Concurrency).Select(_ => new ConversationWorker(client, window, pace, options.Vary, options.ConversationTurns)).ToList();
    await Task.WhenAll(workers.Select(w => w.StartAsync(botId, seeding, deadline.Token)));
    if (seeding)
    {
        await SeedAsync(options, client, botId, workers, deadline.Token);
        deadline.CancelAfter(runLimit);
        window = new MeasurementWindow(options.Warmup, options.Duration);
        workers = [.. workers.Select(w => w.WithWindow(window))];
    }
    var running = Task.WhenAll(workers.Select(w => w.RunAsync(deadline.Token)));

    // The driver's own CPU over the measured window: it shares the machine with the server.
    using var self = Process.GetCurrentProcess();
    await window.WarmedUpAsync(deadline.Token);
    self.Refresh();
    var cpuAtStart = self.TotalProcessorTime;
    var serverCpuAtStart = server?.CpuTime();
    var memory = server is not null && options.MemoryEvery is { } every ? MemorySampler.RunAsync(server, every, window, deadline.Token) : null;
    await window.OverAsync(deadline.Token);
    self.Refresh();
    var driverCpu = self.TotalProcessorTime - cpuAtStart;
    var serverCpu = server?.CpuTime() - serverCpuAtStart;
    var serverMemory = server?.WorkingSetMb();
    await running;

    return LoadReport.From(options, botId, LatencyRecorder.Merge(workers.Select(w => w.Recorder)), driverCpu, serverCpu, serverMemory,
        memory is null ? null : await memory);
}

static async Task SeedAsync(LoadOptions options, ParleyClient client, string botId, List<ConversationWorker> workers, CancellationToken cancellationToken)
{
    var database = options.Database ?? throw new ArgumentException("--history and --filler need --database.");
    var seeding = Stopwatch.StartNew();
    // The rest of the database: other conversations of up to 10,000 messages each, none of them in the run.
    var fillers = (int)Math.Ceiling(options.Filler / 10_000.0);
    var others = new List<string>();
    for (var i = 0; i < fillers; i++)
    {
        var filler = new ConversationWorker(client, new MeasurementWindow(TimeSpan.Zero, TimeSpan.Zero));
        await filler.StartAsync(botId, firstMessage: true, cancellationToken);
        others.Add(filler.ConversationId!);
    }
    if (fillers > 0)
    {
        await HistorySeeder.SeedAsync(database, others, (int)(options.Filler / fillers), cancellationToken);
    }
    await HistorySeeder.SeedAsync(database, [.. workers.Select(w => w.ConversationId!)], options.History, cancellationToken);
    Console.Error.WriteLine($"Seeded {options.History:N0} messages in each of {workers.Count} conversations and {options.Filler:N0} in {fillers} others in {seeding.Elapsed.TotalSeconds:0.0} s.");
}

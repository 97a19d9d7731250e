using System.Diagnostics;
using System.Globalization;

namespace Parley.Bench.Load;

/// <summary>
/// One simulated visitor: opens a conversation, then sends a message, awaits the reply and repeats, at once or, with a
/// <paramref name="pace"/>, no sooner than one message per pace (the k-th at k paces after the first, so a slow reply
/// is caught up without a burst beyond the closed loop).
/// </summary>
public sealed class ConversationWorker(
    ParleyClient client, MeasurementWindow window, TimeSpan pace = default, bool vary = false, int conversationTurns = 0)
{
    private static readonly string[] Messages =
    [
        "Hello, are you open on Saturday?",
        "How much does the premium plan cost?",
        "Can I book an appointment for next week?",
        "I would like to talk to someone about my order.",
    ];

    public LatencyRecorder Recorder { get; } = new();

    public string? ConversationId { get; private set; }

    private string? _botId;

    /// <summary>The same conversation, measured in another window (the one that opens after seeding).</summary>
    public ConversationWorker WithWindow(MeasurementWindow other) => new(client, other, pace, vary, conversationTurns) { ConversationId = ConversationId };

    /// <summary>Opens the conversation and, when it is to be given a history, sends one message for it to copy.</summary>
    public async Task StartAsync(string botId, bool firstMessage, CancellationToken cancellationToken)
    {
        _botId = botId;
        ConversationId = await client.StartConversationAsync(botId, cancellationToken);
        if (firstMessage)
        {
            using var response = await client.SendMessageAsync(ConversationId, Messages[0], cancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var conversationId = ConversationId ?? throw new InvalidOperationException("Start the conversation first.");
        var turnsInConversation = 0;
        var first = Stopwatch.GetTimestamp();
        for (var turn = 0; !window.IsOver; turn++)
        {
            if (pace > TimeSpan.Zero && pace * turn - Stopwatch.GetElapsedTime(first) is { } early && early > TimeSpan.Zero)
            {
                await Task.Delay(early, cancellationToken);
            }
            if (conversationTurns > 0 && turnsInConversation == conversationTurns)
            {
                // Not measured: a visitor opening the widget, not a turn.
                conversationId = ConversationId = await client.StartConversationAsync(_botId!, cancellationToken);
                turnsInConversation = 0;
            }
            turnsInConversation++;
            var started = Stopwatch.GetTimestamp();
            var text = Messages[turn % Messages.Length];
            var (failure, serverTiming) = await SendAsync(conversationId, vary ? $"{text} ({conversationId[^6..]}-{turn})" : text, cancellationToken);
            var latency = Stopwatch.GetElapsedTime(started);

            if (!window.Contains(window.Elapsed))
            {
                continue;
            }
            if (failure is null)
            {
                Recorder.RecordTurn(latency.TotalMilliseconds, serverTiming);
            }
            else
            {
                Recorder.RecordError(failure);
            }
        }
    }

    /// <summary>One turn: no failure and the Server-Timing header, or what went wrong (a status code, or why no response came).</summary>
    private async Task<(string? Failure, string? ServerTiming)> SendAsync(string conversationId, string text, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.SendMessageAsync(conversationId, text, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), null);
            }
            return (null, response.Headers.TryGetValues("Server-Timing", out var values) ? string.Join(", ", values) : null);
        }
        catch (HttpRequestException ex)
        {
            return (ex.HttpRequestError.ToString(), null);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ("timeout", null);
        }
    }
}

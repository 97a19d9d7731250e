using System.Collections.Concurrent;
using System.Text.Json;
using Parley.Server.Infrastructure.Cluster;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Handoff;

/// <summary>
/// Who is typing in which conversation, kept in memory only: a typing signal is news for a few seconds, never a
/// message. A side's repeated signal within <see cref="MinInterval"/> is dropped, so a chatty client costs the
/// streams nothing; a change (typing → stopped) always goes through. Signals wake the conversation's streams through
/// <see cref="ConversationSignals"/>, on this node and, told over the cluster bus, on the others.
/// </summary>
public sealed class TypingSignals
{
    public const string Visitor = "visitor";
    public const string Agent = "agent";

    /// <summary>The shortest time between two relayed signals of the same side that say the same thing.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a signal is news: a stream opened or woken later does not send it.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(6);

    /// <summary>The announcement to other nodes: <c>{conversation id} {who} {true|false} {name}</c>.</summary>
    private const string Announcement = "typing";

    private readonly ConcurrentDictionary<(string ConversationId, string Who), Signal> _latest = new();
    private readonly ConversationSignals _signals;
    private readonly ClusterAnnouncements _cluster;
    private readonly TimeProvider _time;
    private long _sequence;

    public TypingSignals(ConversationSignals signals, ClusterAnnouncements cluster, TimeProvider time)
    {
        _signals = signals;
        _cluster = cluster;
        _time = time;
        cluster.On(Announcement, payload =>
        {
            if (payload.Split(' ', 4) is [var conversationId, var who and (Visitor or Agent), var typing, var name])
            {
                Record(conversationId, who, typing == "true", name.Length == 0 ? null : name);
            }
        });
    }

    private sealed record Signal(bool Typing, string? Name, DateTimeOffset At, long Sequence);

    /// <summary>Records what <paramref name="who"/> is doing; false when it repeats the last signal too soon and was dropped.</summary>
    public bool Report(string conversationId, string who, bool typing, string? name)
    {
        var now = _time.GetUtcNow();
        if (_latest.TryGetValue((conversationId, who), out var last) && last.Typing == typing && now - last.At < MinInterval)
        {
            return false;
        }
        Record(conversationId, who, typing, name);
        var oneLineName = name?.ReplaceLineEndings(" ") ?? "";
        _cluster.Announce(Announcement, $"{conversationId} {who} {(typing ? "true" : "false")} {oneLineName}");
        return true;
    }

    private void Record(string conversationId, string who, bool typing, string? name)
    {
        var now = _time.GetUtcNow();
        _latest[(conversationId, who)] = new Signal(typing, name, now, Interlocked.Increment(ref _sequence));
        Forget(now);
        _signals.Notify(conversationId);
    }

    /// <summary>What a stream watching <paramref name="conversationId"/> for <paramref name="watcher"/> sends: the other side's signals.</summary>
    public TypingFeed Watch(string conversationId, string watcher) =>
        new(this, conversationId, watcher == Visitor ? Agent : Visitor, Interlocked.Read(ref _sequence));

    internal string? FrameAfter(string conversationId, string who, ref long seen)
    {
        if (!_latest.TryGetValue((conversationId, who), out var signal) || signal.Sequence <= seen)
        {
            return null;
        }
        seen = signal.Sequence;
        if (_time.GetUtcNow() - signal.At > Freshness)
        {
            return null;
        }
        var data = JsonSerializer.Serialize(new TypingEvent(who, signal.Typing, signal.Name), ApiJson.Options);
        return "event: typing\ndata: " + data + "\n\n";
    }

    /// <summary>Drops stale signals now and then, so conversations that ended leave nothing behind.</summary>
    private void Forget(DateTimeOffset now)
    {
        if (_latest.Count < 1000)
        {
            return;
        }
        foreach (var (key, signal) in _latest)
        {
            if (now - signal.At > Freshness)
            {
                _latest.TryRemove(key, out _);
            }
        }
    }
}

/// <summary>The <c>typing</c> event of a conversation stream: <c>who</c> (<c>visitor</c> or <c>agent</c>), whether they are typing, and the agent's name.</summary>
public sealed record TypingEvent(string Who, bool Typing, string? Name);

/// <summary>One stream's view of the other side's typing: the frames it has not sent yet.</summary>
public sealed class TypingFeed(TypingSignals signals, string conversationId, string who, long seen)
{
    private long _seen = seen;

    public string? TakeFrame() => signals.FrameAfter(conversationId, who, ref _seen);
}

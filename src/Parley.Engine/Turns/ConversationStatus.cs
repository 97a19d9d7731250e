namespace Parley.Engine.Turns;

/// <summary>The states a conversation can be in, as strings on the wire and in storage.</summary>
public static class ConversationStatus
{
    public const string Open = "open";
    public const string Handoff = "handoff";
    public const string Closed = "closed";
}

namespace Parley.Data.Entities;

/// <summary>
/// A row of a work queue that one node at a time may hold: the holder's id and until when it holds the row. Another node
/// may take the row over once the lease has lapsed (its holder died or hung).
/// </summary>
public interface ILeased : IHasId
{
    string? LeaseOwner { get; set; }
    DateTimeOffset? LeaseUntil { get; set; }
}

namespace Parley.Data.Entities;

/// <summary>A row with a prefixed, time-ordered id: lists page through it by id.</summary>
public interface IHasId
{
    string Id { get; }
}

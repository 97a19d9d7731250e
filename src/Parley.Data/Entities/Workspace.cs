namespace Parley.Data.Entities;

public sealed class Workspace
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

using Parley.Data.Entities;

namespace Parley.Server.Features.CannedResponses;

/// <summary>
/// A reply agents keep ready: <c>shortcut</c> (1–40 of <c>a–z</c>, <c>0–9</c>, <c>-</c>, <c>_</c>; stored in lower case,
/// unique in the workspace) and <c>text</c> (1–4000 characters).
/// </summary>
public sealed record CreateCannedResponseRequest(string? Shortcut = null, string? Text = null);

/// <summary>Change a canned response: fields left out (or null) stay.</summary>
public sealed record UpdateCannedResponseRequest(string? Shortcut = null, string? Text = null);

public sealed record CannedResponseResponse(string Id, string Shortcut, string Text, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static CannedResponseResponse From(CannedResponse r) => new(r.Id, r.Shortcut, r.Text, r.CreatedAt, r.UpdatedAt);
}

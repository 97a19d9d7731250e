using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Flows;

/// <summary>
/// The ETag of a bot's draft flow: a hash of the stored document, so it changes exactly when the draft does (and not
/// when other settings of the bot do). <c>If-Match</c> on a save must name it, or be <c>*</c> when a draft exists.
/// </summary>
public static class FlowDraftTag
{
    public static string Of(string? draftJson)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(draftJson ?? ""));
        return $"\"{Convert.ToHexStringLower(hash.AsSpan(0, 16))}\"";
    }

    public static bool IsConditional(StringValues ifMatch) => !StringValues.IsNullOrEmpty(ifMatch);

    public static bool Matches(StringValues ifMatch, string? draftJson)
    {
        var current = Of(draftJson);
        foreach (var header in ifMatch)
        {
            foreach (var candidate in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                // Weak tags compare by their opaque part: the draft has one representation.
                var tag = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
                if ((tag == "*" && draftJson is not null) || tag == current)
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>The 412 problem of a save that lost the race to <paramref name="author"/> (a name, or null when not known).</summary>
    public static ApiException Changed(Bot bot, string? author) => new(StatusCodes.Status412PreconditionFailed, ErrorCodes.PreconditionFailed,
        $"{author ?? "Someone"} changed this draft at {bot.FlowDraftUpdatedAt ?? bot.UpdatedAt:yyyy-MM-dd HH:mm:ss} UTC (its ETag is now {Of(bot.FlowDraftJson)}). "
        + "Nothing was saved: load the draft again (GET), apply your changes to it, and save with its ETag.");
}

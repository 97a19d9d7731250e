using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Exports;

public static class ExportRequestValidation
{
    public static void CheckRange(Dictionary<string, string[]> errors, DateTimeOffset? since, DateTimeOffset? until)
    {
        if (since is not null && until is not null && since >= until)
        {
            errors["until"] = ["until must be later than since."];
        }
    }

    /// <summary>Whether PII is written in clear: only when asked for, and only for a caller holding <c>export:pii</c>.</summary>
    public static bool PiiAllowed(Caller caller, bool requested)
    {
        if (requested && !caller.HasScope(Scopes.ExportPii))
        {
            throw new ApiException(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
                $"Exporting contact PII in clear needs the '{Scopes.ExportPii}' scope; leave include_pii out to export without it.");
        }
        return requested;
    }
}

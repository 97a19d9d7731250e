using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Accounts;

/// <summary>
/// Who may hand out or change which role. Nobody gives a role above their own or touches someone above them; a key
/// counts as an admin, so only an owner makes another owner. Nobody changes their own role or removes themselves,
/// which also keeps at least one owner.
/// </summary>
public static class TeamRules
{
    public static int RankOf(Caller caller) => caller.Kind == CallerKind.User ? Roles.Rank(caller.Role!) : Roles.Rank(Roles.Admin);

    public static void RequireKnownRole(string? role)
    {
        if (!Roles.IsKnown(role))
        {
            throw ApiException.Invalid("role", $"role must be one of: {string.Join(", ", Roles.All)}.");
        }
    }

    public static void RequireMayGrant(Caller caller, string role)
    {
        if (Roles.Rank(role) > RankOf(caller))
        {
            throw new ApiException(403, ErrorCodes.Forbidden, $"You can give roles up to your own; '{role}' is above it.");
        }
    }

    public static void RequireMayManage(Caller caller, string targetUserId, string targetRole, string what)
    {
        if (targetUserId == caller.UserId)
        {
            throw new ApiException(403, ErrorCodes.Forbidden, $"You cannot {what} yourself; ask another owner or admin.");
        }
        if (Roles.Rank(targetRole) > RankOf(caller))
        {
            throw new ApiException(403, ErrorCodes.Forbidden, $"Only an owner can {what} an owner.");
        }
    }
}

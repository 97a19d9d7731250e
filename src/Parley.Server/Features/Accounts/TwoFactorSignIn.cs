using Microsoft.AspNetCore.Identity;
using Parley.Data.Entities;
using Parley.Server.Features.Audit;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Accounts;

/// <summary>
/// The second step of signing in to an account with two-factor sign-in on, after the password was right. Stateless:
/// the client sends the password again with the code, so any node can answer. Wrong codes count towards the lockout
/// like wrong passwords, so codes cannot be guessed at leisure.
/// </summary>
public static class TwoFactorSignIn
{
    /// <summary>Checks the code; returns how the second factor was given (for the audit entry) or throws a 401 / 429 problem.</summary>
    public static async Task<string> CheckAsync(UserManager<User> users, AuditLog audit, User user, SignInRequest request, TimeProvider time)
    {
        var recoveryCode = (request.RecoveryCode ?? "").Trim().ToUpperInvariant();
        if (recoveryCode.Length == 0 && string.IsNullOrWhiteSpace(request.TwoFactorCode))
        {
            throw new ApiException(401, ErrorCodes.TwoFactorRequired, "Enter the 6-digit code from your authenticator app, or one of your recovery codes.");
        }
        if (recoveryCode.Length > 0
            ? (await users.RedeemTwoFactorRecoveryCodeAsync(user, recoveryCode)).Succeeded
            : await AuthenticatorCodes.AcceptAsync(users, user, request.TwoFactorCode, time))
        {
            return recoveryCode.Length > 0 ? "with a recovery code" : "with an authenticator code";
        }
        await users.AccessFailedAsync(user);
        var locked = await users.IsLockedOutAsync(user);
        audit.Add(user.WorkspaceId, locked ? AuditActions.LockedOut : AuditActions.SignInFailed, null, user.Id, "wrong two-factor code");
        await users.UpdateAsync(user);
        throw locked
            ? AuthEndpoints.Locked(user, time)
            : new ApiException(401, ErrorCodes.InvalidTwoFactorCode, recoveryCode.Length > 0
                ? "That recovery code is not right or was already used."
                : "That code is not right or was already used. Enter the code your authenticator app shows now.");
    }
}

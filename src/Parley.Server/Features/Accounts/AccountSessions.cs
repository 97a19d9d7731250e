using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Accounts;

/// <summary>Starts dashboard sessions and describes them; turns Identity's errors into problem+json field errors.</summary>
public sealed class AccountSessions(ParleyDbContext db, TimeProvider time)
{
    /// <summary>Sets the session cookie for <paramref name="user"/> and saves the sign-in time (and whatever else is pending).</summary>
    public async Task<SessionResponse> SignInAsync(HttpContext http, User user, CancellationToken cancellationToken)
    {
        var principal = DashboardSession.Principal(user.Id, user.SecurityStamp ?? "");
        await http.SignInAsync(DashboardSession.Scheme, principal, new AuthenticationProperties { IsPersistent = true });
        user.LastSignInAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return await DescribeAsync(user, DashboardSession.CsrfTokenOf(principal)!, cancellationToken);
    }

    /// <summary>
    /// Re-issues this request's session cookie after a change of <paramref name="user"/>'s security stamp, which ends
    /// their other sessions; this one keeps going with the same csrf_token.
    /// </summary>
    public static async Task RenewAsync(HttpContext http, User user)
    {
        var current = await http.AuthenticateAsync(DashboardSession.Scheme);
        var csrfToken = current.Principal is { } principal ? DashboardSession.CsrfTokenOf(principal) : null;
        await http.SignInAsync(DashboardSession.Scheme, DashboardSession.Principal(user.Id, user.SecurityStamp ?? "", csrfToken),
            new AuthenticationProperties { IsPersistent = true });
    }

    public async Task<SessionResponse> DescribeAsync(User user, string csrfToken, CancellationToken cancellationToken)
    {
        var workspaceName = await db.Workspaces.IgnoreQueryFilters().Where(w => w.Id == user.WorkspaceId).Select(w => w.Name).FirstAsync(cancellationToken);
        return new SessionResponse(UserResponse.From(user), user.WorkspaceId, workspaceName, Roles.ScopesOf(user.Role), csrfToken);
    }

    /// <summary>A 400 with Identity's complaints under the field they are about.</summary>
    public static ApiException Invalid(IdentityResult result)
    {
        var errors = result.Errors
            .GroupBy(e => e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password"
                : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? "email"
                : "request")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).Distinct().ToArray());
        return ApiException.Invalid(errors);
    }

    /// <summary>Field errors for a missing email or password, before Identity is asked.</summary>
    public static void RequireCredentials(string? email, string? password)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(email))
        {
            errors["email"] = ["Enter your email address."];
        }
        if (string.IsNullOrEmpty(password))
        {
            errors["password"] = ["Enter a password."];
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Identity;
using OtpNet;
using Parley.Data.Entities;

namespace Parley.Server.Features.Accounts;

/// <summary>
/// Checks a code from an authenticator app (RFC 6238: 30-second steps, 6 digits, two steps either side for clocks
/// that drift) and refuses a code that was already accepted (RFC 6238 §5.2): each sign-in needs a code of a later
/// step than the last one accepted, so a code read over someone's shoulder or from a log cannot be replayed within
/// its window. The last accepted step is stored with the user's other Identity tokens; two requests racing with the
/// same code meet Identity's concurrency stamp, and only one is saved.
/// </summary>
public static class AuthenticatorCodes
{
    private const string LoginProvider = "[AspNetUserStore]";
    private const string LastStepToken = "AuthenticatorLastStep";
    private static readonly VerificationWindow Window = new(previous: 2, future: 2);

    /// <summary>Whether <paramref name="code"/> (with or without spaces) is a current code not used before; records it when so.</summary>
    public static async Task<bool> AcceptAsync(UserManager<User> users, User user, string? code, TimeProvider time)
    {
        var digits = Normalize(code);
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (digits.Length != 6 || key is null)
        {
            return false;
        }
        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(time.GetUtcNow().UtcDateTime, digits, out var step, Window))
        {
            return false;
        }
        var last = await users.GetAuthenticationTokenAsync(user, LoginProvider, LastStepToken);
        if (last is not null && long.Parse(last, CultureInfo.InvariantCulture) >= step)
        {
            return false;
        }
        var saved = await users.SetAuthenticationTokenAsync(user, LoginProvider, LastStepToken, step.ToString(CultureInfo.InvariantCulture));
        return saved.Succeeded;
    }

    /// <summary>Forgets the last accepted step, with the key it was read from.</summary>
    public static Task ForgetAsync(UserManager<User> users, User user) => users.RemoveAuthenticationTokenAsync(user, LoginProvider, LastStepToken);

    public static string Normalize(string? code) => (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
}

using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Parley.Data.Entities;

namespace Parley.Server.Features.Accounts;

/// <summary>
/// A reset link's token: the user id and Identity's reset token (sealed with Data Protection, valid a day, spent by
/// the security stamp changing) in one opaque string.
/// </summary>
public static class PasswordResetTokens
{
    public static async Task<string> IssueAsync(UserManager<User> users, User user) =>
        user.Id + "." + WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));

    public static async Task<(User? User, string? IdentityToken)> ReadAsync(UserManager<User> users, string? token)
    {
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0)
        {
            return (null, null);
        }
        string identityToken;
        try
        {
            identityToken = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token![(dot + 1)..]));
        }
        catch (FormatException)
        {
            return (null, null);
        }
        return (await users.FindByIdAsync(token[..dot]), identityToken);
    }
}

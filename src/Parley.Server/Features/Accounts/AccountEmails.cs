using Microsoft.Extensions.Options;
using Parley.Server.Features.Notifications;

namespace Parley.Server.Features.Accounts;

/// <summary>Invitation and password reset emails, sent at once when SMTP is configured; otherwise the link is for copying.</summary>
public sealed class AccountEmails(IOptionsMonitor<SmtpOptions> smtp, EmailSender sender, ILogger<AccountEmails> logger)
{
    public bool IsConfigured => smtp.CurrentValue.IsConfigured;

    /// <summary>Whether the email went out; a mail server that fails is logged, and the link can still be copied.</summary>
    public async Task<bool> TrySendAsync(string to, string subject, string body, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return false;
        }
        try
        {
            await sender.SendAsync([to], subject, body, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not send the email '{Subject}'", subject);
            return false;
        }
    }
}

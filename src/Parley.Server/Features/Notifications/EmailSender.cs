using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Parley.Server.Features.Notifications;

/// <summary>A file sent with an email, such as a calendar invite.</summary>
public sealed record EmailAttachment(string FileName, string ContentType, string Content);

/// <summary>Sends one plain-text email over SMTP with MailKit.</summary>
public sealed class EmailSender(IOptionsMonitor<SmtpOptions> options)
{
    public async Task SendAsync(
        IReadOnlyList<string> to, string subject, string body, CancellationToken cancellationToken, EmailAttachment? attachment = null,
        string? messageId = null)
    {
        var smtp = options.CurrentValue;
        var message = new MimeMessage();
        if (messageId is not null)
        {
            message.MessageId = messageId;
        }
        message.From.Add(MailboxAddress.Parse(smtp.From));
        foreach (var address in to)
        {
            message.To.Add(MailboxAddress.Parse(address));
        }
        message.Subject = subject;
        if (attachment is null)
        {
            message.Body = new TextPart("plain") { Text = body };
        }
        else
        {
            var parts = new BodyBuilder { TextBody = body };
            parts.Attachments.Add(attachment.FileName, System.Text.Encoding.UTF8.GetBytes(attachment.Content), ContentType.Parse(attachment.ContentType));
            message.Body = parts.ToMessageBody();
        }

        using var client = new SmtpClient { Timeout = 30_000 };
        var security = smtp.Security switch
        {
            "tls" => SecureSocketOptions.SslOnConnect,
            "none" => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        };
        await client.ConnectAsync(smtp.Host!, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
        }
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

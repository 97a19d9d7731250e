using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Features.Notifications;

/// <summary>The mail server for notifications (<c>Parley:Smtp</c>). Email is off while <see cref="Host"/> is empty.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Parley:Smtp";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary><c>starttls</c> (when offered, the default), <c>tls</c> (TLS from the first byte, port 465) or <c>none</c>.</summary>
    [RegularExpression("^(starttls|tls|none)$")]
    public string Security { get; set; } = "starttls";

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender address, such as <c>Parley &lt;bot@shop.example&gt;</c>.</summary>
    public string From { get; set; } = "Parley <parley@localhost>";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Features.Accounts;

/// <summary>Dashboard accounts and sessions (<c>Parley:Accounts</c>).</summary>
public sealed class AccountOptions
{
    public const string Section = "Parley:Accounts";

    /// <summary>
    /// The address people open Parley at (<c>https://chat.shop.example</c>), for the setup link and the links in
    /// invitations and reset emails; the server's own first address when not set.
    /// </summary>
    [Url]
    public string? PublicUrl { get; set; }

    /// <summary>How long a dashboard session lasts without being used (it slides while in use).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Wrong passwords in a row before the account is locked for <see cref="LockoutDuration"/>.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    [Range(8, 128)]
    public int MinimumPasswordLength { get; set; } = 10;
}

using Microsoft.AspNetCore.DataProtection;

namespace Parley.Server.Features.Webhooks;

/// <summary>Keeps signing secrets encrypted at rest (ASP.NET Data Protection, keys in the database).</summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Parley.WebhookSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}

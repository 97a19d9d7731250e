using Microsoft.AspNetCore.DataProtection;

namespace Parley.Server.Features.ModelProviders;

/// <summary>Keeps model provider API keys encrypted at rest (ASP.NET Data Protection, keys in the database).</summary>
public sealed class ModelProviderSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Parley.ModelProviderKey.v1");

    public string Protect(string apiKey) => _protector.Protect(apiKey);

    public string Unprotect(string protectedKey) => _protector.Unprotect(protectedKey);

    /// <summary>The last four characters of a key, or fewer for a very short key.</summary>
    public static string Hint(string apiKey) => "…" + apiKey[Math.Max(0, apiKey.Length - 4)..];
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Parley.Data;

namespace Parley.Server.Infrastructure.Auth;

public static class AuthSetup
{
    public static IServiceCollection AddApiAuth(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddMemoryCache();
        services.AddScoped<Caller>();
        services.AddSingleton<ApiKeyDirectory>();
        services.AddSingleton<ApiKeyUsage>();
        services.AddHostedService<ApiKeyUsageFlusher>();
        services.AddSingleton<WidgetSessionTokens>();
        services.AddDataProtection().SetApplicationName("Parley").PersistKeysToDbContext<ParleyDbContext>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddScoped<IAuthorizationHandler, AccessRequirementHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }
}

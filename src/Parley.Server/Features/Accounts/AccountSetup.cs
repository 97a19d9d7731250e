using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Features.Audit;
using Parley.Server.Infrastructure.Auth;

namespace Parley.Server.Features.Accounts;

public static class AccountSetup
{
    /// <summary>ASP.NET Core Identity on Parley's database, the session cookie, setup links, invitations and the audit log.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddIdentityCore<User>()
            .AddEntityFrameworkStores<ParleyDbContext>()
            .AddDefaultTokenProviders();
        services.AddOptions<IdentityOptions>().Configure<Microsoft.Extensions.Options.IOptions<AccountOptions>>((identity, options) =>
        {
            // Length over composition rules (NIST SP 800-63B): a long passphrase is stronger than "Passw0rd!".
            identity.Password.RequiredLength = options.Value.MinimumPasswordLength;
            identity.Password.RequireDigit = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Password.RequiredUniqueChars = 4;
            identity.User.RequireUniqueEmail = true;
            identity.User.AllowedUserNameCharacters = "";
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = options.Value.MaxFailedSignIns;
            identity.Lockout.DefaultLockoutTimeSpan = options.Value.LockoutDuration;
        });
        services.AddAuthentication().AddCookie(DashboardSession.Scheme, cookie =>
        {
            cookie.Cookie.Name = DashboardSession.CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/";
            cookie.SlidingExpiration = true;
            // The API answers for itself (problem+json); the cookie handler never redirects.
            cookie.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = context => { context.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; },
                OnRedirectToAccessDenied = context => { context.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; },
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(DashboardSession.Scheme)
            .Configure<Microsoft.Extensions.Options.IOptions<AccountOptions>>((cookie, options) => cookie.ExpireTimeSpan = options.Value.SessionLifetime);
        services.AddSingleton<IAuthorizationHandler, SignedInUserRequirement>();
        services.AddHttpContextAccessor();
        services.AddScoped<AuditLog>();
        services.AddScoped<AccountSessions>();
        services.AddSingleton<AccountEmails>();
        services.AddSingleton<AccountLinks>();
        services.AddSingleton<SetupTokens>();
        services.AddHostedService<SetupLinkWriter>();
        return services;
    }

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder api)
    {
        api.MapAuth();
        api.MapTwoFactor();
        api.MapUsers();
        api.MapInvitations();
        api.MapAudit();
        return api;
    }
}

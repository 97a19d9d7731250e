using Parley.Engine.Ids;
using Parley.Server.Features.Accounts;
using Parley.Server.Features.Analytics;
using Parley.Server.Features.ApiKeys;
using Parley.Server.Features.Backups;
using Parley.Server.Features.Bookings;
using Parley.Server.Features.Bots;
using Parley.Server.Features.CannedResponses;
using Parley.Server.Features.Contacts;
using Parley.Server.Features.Dashboard;
using Parley.Server.Features.Conversations;
using Parley.Server.Features.Events;
using Parley.Server.Features.Exports;
using Parley.Server.Features.Flows;
using Parley.Server.Features.Handoff;
using Parley.Server.Features.Health;
using Parley.Server.Features.Knowledge;
using Parley.Server.Features.Leads;
using Parley.Server.Features.ModelProviders;
using Parley.Server.Features.Notes;
using Parley.Server.Features.Imports;
using Parley.Server.Features.Integrations;
using Parley.Server.Features.Imports.Platforms;
using Parley.Server.Features.Notifications;
using Parley.Server.Features.OpenAiCompatible;
using Parley.Server.Features.Status;
using Parley.Server.Features.Usage;
using Parley.Server.Features.Webhooks;
using Parley.Server.Features.Widget;
using Parley.Server.Features.Workspaces;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Background;
using Parley.Server.Infrastructure.Cluster;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;
using Parley.Server.Infrastructure.Idempotency;
using Parley.Server.Infrastructure.OpenApi;
using Parley.Server.Infrastructure.Persistence;
using Parley.Server.Infrastructure.RateLimiting;
using Parley.Server.Infrastructure.Shutdown;
using Parley.Server.Infrastructure.Telemetry;

// `export` and `import` run a backup command on the configured database instead of the server (docs/backups.md).
BackupCommand? command = null;
if (BackupCommand.IsCommand(args))
{
    (command, var exit) = BackupCommand.Parse(args, Console.Out, Console.Error);
    if (exit is not null)
    {
        return exit.Value;
    }
}
// `import-from` imports another platform's export into a bot instead of starting the server (docs/migrate.md).
ImportFromCommand? importFrom = null;
if (ImportFromCommand.IsCommand(args))
{
    (importFrom, var exit) = ImportFromCommand.Parse(args, Console.Out, Console.Error);
    if (exit is not null)
    {
        return exit.Value;
    }
}

// Settings and static files ship beside the binary, whatever directory the server is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = command?.ConfigurationArgs.ToArray() ?? importFrom?.ConfigurationArgs.ToArray() ?? args,
    ContentRootPath = AppContext.BaseDirectory,
});
if (command is not null || importFrom is not null)
{
    BackupRunner.ConfigureLogging(builder.Logging);
}

if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    // The default address; --urls, URLS or ASPNETCORE_URLS choose another.
    builder.WebHost.UseUrls("http://localhost:5080");
}
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes);
// Under systemd (deploy/systemd): tells it when the server is ready and logs in the journal's format. Elsewhere, nothing.
builder.Host.UseSystemd();
builder.Services.ConfigureHttpJsonOptions(options => ApiJson.Configure(options.SerializerOptions));
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(sp => new IdGenerator(sp.GetRequiredService<TimeProvider>()));
builder.Services.AddOptions<BootstrapOptions>().BindConfiguration(BootstrapOptions.Section);

builder.Services.AddApiProblemDetails();
builder.Services.AddStorage(builder.Configuration);
builder.Services.AddCluster(builder.Configuration);
builder.Services.AddApiAuth();
builder.Services.AddAccounts();
builder.AddDashboard();
builder.Services.AddApiRateLimits();
builder.Services.AddScoped<IdempotencyScope>();
builder.Services.AddHostedService<IdempotencyCleanup>();
builder.Services.AddApiKeys();
builder.Services.AddConversations();
builder.Services.AddFlows();
builder.Services.AddHandoff();
builder.Services.AddKnowledge();
builder.Services.AddModelProviders();
builder.Services.AddWebhooks();
builder.Services.AddNotifications();
builder.Services.AddContacts();
builder.Services.AddLeads();
builder.Services.AddBookings();
builder.Services.AddExports();
builder.Services.AddPlatformImports();
builder.Services.AddAnalytics();
builder.Services.AddHealth();
builder.Services.AddUsage();
builder.Services.AddOutbox();
builder.Services.AddStatus();
builder.Services.AddOpenAiCompatible();
builder.Services.AddApiDocument();
builder.Services.AddTelemetry(builder.Configuration);
builder.Services.AddCors(options => options.AddDefaultPolicy(WidgetCors.Policy));
// Last: hosted services stop in reverse order, and the node must finish its requests before its workers stop.
builder.Services.AddNodeDrain();

var app = builder.Build();

app.UseNodeDrain();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestIds();
app.UseRequestBodyLimit();
app.UseCors();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();
app.UseMiddleware<IdempotencyMiddleware>();

var v1 = app.MapGroup("/v1").RequireRateLimiting(CallerRateLimitPolicy.Name).WithProblemResponses();
v1.MapApiKeys();
v1.MapBots();
v1.MapFlows();
v1.MapKnowledge();
v1.MapModelProviders();
v1.MapConversations();
v1.MapHandoff();
v1.MapConversationNotes();
v1.MapCannedResponses();
v1.MapWidget();
v1.MapContacts();
v1.MapLeads();
v1.MapBookings();
v1.MapEvents();
v1.MapStreamingExports();
v1.MapExports();
v1.MapImports();
v1.MapPlatformImports();
v1.MapWebhooks();
v1.MapIntegrations();
v1.MapWorkspace();
v1.MapUsage();
v1.MapAnalytics();
app.MapOpenAiCompatible();
v1.MapAccounts();
app.MapHealth();
app.MapStatus();
app.MapApiDocument();
app.MapWidgetAsset();
app.MapDemoPage();
app.MapDashboard();

if (command is not null)
{
    return await new BackupRunner(app.Services, Console.Out, Console.Error).RunAsync(command, CancellationToken.None);
}
if (importFrom is not null)
{
    return await new ImportFromRunner(app.Services, Console.Out, Console.Error).RunAsync(importFrom, CancellationToken.None);
}

await app.InitializeStorageAsync();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the HTTP tests.</summary>
public partial class Program;

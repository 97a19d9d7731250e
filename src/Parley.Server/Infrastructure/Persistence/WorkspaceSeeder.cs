using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Ids;
using Parley.Engine.Keys;
using Parley.Server.Features.Knowledge;
using Parley.Server.Infrastructure.Auth;

namespace Parley.Server.Infrastructure.Persistence;

/// <summary>
/// On an empty database: the "Default" workspace, its owner's secret key (written to <c>admin-key.txt</c>, readable
/// by the owner only, and logged once), and a demo bot with a publishable key for the local demo page and a knowledge
/// base about Parley itself.
/// A database that has a workspace is never seeded again.
/// </summary>
public sealed class WorkspaceSeeder(
    ParleyDbContext db,
    StorageOptions storage,
    IOptions<BootstrapOptions> bootstrap,
    IConfiguration configuration,
    IdGenerator ids,
    TimeProvider time,
    KnowledgeIngestion knowledge,
    ILogger<WorkspaceSeeder> logger)
{
    public const string AdminKeyFileName = "admin-key.txt";
    public const string DemoBotName = "Parley Demo";

    /// <summary>The name of the demo bot's publishable key, which the demo page at <c>/</c> embeds.</summary>
    public const string DemoKeyName = "Demo page";

    public async Task SeedIfEmptyAsync(CancellationToken cancellationToken)
    {
        if (await db.Workspaces.AnyAsync(cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        var workspace = new Workspace { Id = ids.New(IdPrefix.Workspace), Name = "Default", CreatedAt = now };
        var secret = bootstrap.Value.ApiKey is { Length: > 0 } configured ? configured : ApiKeyToken.Generate(ApiKeyKind.Secret);
        if (ApiKeyToken.KindOf(secret) != ApiKeyKind.Secret || secret.Length < 24)
        {
            throw new InvalidOperationException($"{BootstrapOptions.Section}:ApiKey must start with 'sk_' and be at least 24 characters long.");
        }

        var bot = new Bot
        {
            Id = ids.New(IdPrefix.Bot),
            WorkspaceId = workspace.Id,
            Name = DemoBotName,
            Greeting = "Hi! I'm the Parley demo bot. How can I help you today?",
            FallbackText = "Thanks for your message! I can't answer that myself yet, so a member of the team will follow up.",
            Instructions = "You are the friendly assistant of a small business. Answer briefly and only from what you know.",
            Theme = new BotTheme { PrimaryColor = "#4F46E5", Position = "right", LauncherText = "Chat with us", Title = DemoBotName },
            CreatedAt = now,
            UpdatedAt = now,
        };
        var publishable = ApiKeyToken.Generate(ApiKeyKind.Publishable);
        db.Workspaces.Add(workspace);
        db.Bots.Add(bot);
        db.ApiKeys.Add(NewKey(workspace.Id, ApiKeyKind.Secret, "Owner key", secret, now));
        db.ApiKeys.Add(NewKey(workspace.Id, ApiKeyKind.Publishable, DemoKeyName, publishable, now, bot.Id, DemoOrigins()));
        var demo = KnowledgeInput.FromMarkdown(DemoKnowledge.Title, DemoKnowledge.Markdown);
        var about = demo.NewSource(ids.New(IdPrefix.KnowledgeSource), workspace.Id, bot.Id, now);
        knowledge.Index(about, demo.Blocks);
        db.KnowledgeSources.Add(about);
        await db.SaveChangesAsync(cancellationToken);

        var path = Path.Combine(storage.DataDirectory, AdminKeyFileName);
        await OwnerOnlyFile.WriteAsync(path, secret);
        logger.LogWarning(
            "Seeded workspace 'Default' with the demo bot. Owner API key (shown once, also in {Path}): {ApiKey}", path, secret);
    }

    private ApiKey NewKey(string workspaceId, ApiKeyKind kind, string name, string token, DateTimeOffset now,
        string? botId = null, List<string>? origins = null) => new()
        {
            Id = ids.New(IdPrefix.ApiKey),
            WorkspaceId = workspaceId,
            Kind = kind,
            Name = name,
            Prefix = ApiKeyToken.VisiblePrefix(token),
            TokenHash = ApiKeyToken.Hash(token),
            PublishableToken = kind == ApiKeyKind.Publishable ? token : null,
            BotId = botId,
            AllowedOrigins = origins ?? [],
            CreatedAt = now,
        };

    private List<string> DemoOrigins()
    {
        var origins = new List<string> { "http://localhost:5080", "http://127.0.0.1:5080" };
        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (OriginPolicy.Normalize(url.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal)) is { } origin)
            {
                origins.Add(origin);
            }
        }
        origins.AddRange(bootstrap.Value.DemoOrigins);
        return [.. origins.Distinct()];
    }
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Ids;
using Parley.Engine.Imports;
using Parley.Server.Features.Bots;

namespace Parley.Server.Features.Imports.Platforms;

/// <summary>What <see cref="ImportedModelProviders.AddAsync"/> did: one report line per model used, and the providers made or reused.</summary>
public sealed record AddedModelProviders(IReadOnlyList<ImportedBlock> Lines, IReadOnlyList<string> ProviderIds);

/// <summary>
/// Makes the models another platform's app used into model providers of the workspace (not saved), without an API key:
/// no export holds one. A provider with the same kind, default model and base URL (for a self-hosted server, whose
/// address the export does not hold: the same name) is reused, so importing again adds none. No bot is pointed at
/// them: a provider without a key cannot answer, so the bot goes on answering as it did until someone adds the key.
/// A new bot does keep the temperature and max tokens its source ran with, when all its models used the same: the
/// built-in model ignores them, and a provider chosen later answers with them.
/// </summary>
public sealed class ImportedModelProviders(ParleyDbContext db, IdGenerator ids, TimeProvider time)
{
    public const string SourceType = "model";

    public async Task<AddedModelProviders> AddAsync(string platform, Bot bot, bool newBot, IReadOnlyList<ImportedModel> models, CancellationToken cancellationToken)
    {
        var kept = newBot && KeepSettings(bot, models.Where(m => m.Connection is not null && m.Answers).ToList());
        var lines = new List<ImportedBlock>();
        var providerIds = new List<string>();
        var found = new Dictionary<(string, string), (ModelProvider Provider, bool Created)>();
        List<ModelProvider>? workspaceProviders = null;
        foreach (var model in models)
        {
            if (model.Connection is not { } connection)
            {
                lines.Add(new ImportedBlock(model.Group, model.BlockId, SourceType, ImportOutcome.NotCarried, [],
                    $"{Used(platform, model)}. Parley cannot connect to '{model.SourceProvider}': it speaks to OpenAI-compatible endpoints and Anthropic. "
                    + "If that service offers an OpenAI-compatible API, add it as an openai model provider with its base URL and key; otherwise choose another model in the bot's model settings."));
                continue;
            }
            var key = (model.SourceProvider.ToLowerInvariant(), model.Name);
            if (!found.TryGetValue(key, out var entry))
            {
                workspaceProviders ??= await db.ModelProviders.ToListAsync(cancellationToken);
                var reused = workspaceProviders.FirstOrDefault(p => p.Kind == connection.Kind && p.DefaultModel == model.Name
                    && (connection.NeedsBaseUrl ? p.Name == connection.ProviderName : Endpoint(p.Kind, p.BaseUrl) == Endpoint(connection.Kind, connection.BaseUrl)));
                entry = reused is not null ? (reused, false) : (Add(bot.WorkspaceId, connection, model.Name), true);
                if (entry.Created)
                {
                    workspaceProviders.Add(entry.Provider);
                }
                found[key] = entry;
                providerIds.Add(entry.Provider.Id);
            }
            lines.Add(new ImportedBlock(model.Group, model.BlockId, SourceType, ImportOutcome.Approximate, [],
                Carried(platform, model, connection, entry.Provider, entry.Created, kept && model.Answers)));
        }
        return new AddedModelProviders(lines, providerIds);
    }

    /// <summary>The endpoint a provider calls: its base URL, or the service's public one when it has none.</summary>
    private static string? Endpoint(string kind, string? baseUrl) => baseUrl?.TrimEnd('/') ?? kind switch
    {
        ModelProvider.OpenAi => "https://api.openai.com/v1",
        ModelProvider.Anthropic => "https://api.anthropic.com",
        _ => null,
    };

    private ModelProvider Add(string workspaceId, ImportedModelConnection connection, string model)
    {
        var now = time.GetUtcNow();
        var provider = new ModelProvider
        {
            Id = ids.New(IdPrefix.ModelProvider),
            WorkspaceId = workspaceId,
            Name = connection.ProviderName,
            Kind = connection.Kind,
            BaseUrl = connection.BaseUrl,
            DefaultModel = model,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.ModelProviders.Add(provider);
        return provider;
    }

    private static bool KeepSettings(Bot bot, IReadOnlyList<ImportedModel> models)
    {
        var settings = models.Select(m => (m.Temperature, m.MaxTokens)).Distinct().ToList();
        // Only values the bot's settings accept (as the bots API checks them) are kept.
        if (settings is not [var only] || only == (null, null)
            || only.Temperature is { } t && !BotValidation.TemperatureAllowed(t) || only.MaxTokens is { } m && !BotValidation.MaxTokensAllowed(m))
        {
            return false;
        }
        (bot.Model.Temperature, bot.Model.MaxTokens) = only;
        return true;
    }

    private static string Carried(string platform, ImportedModel model, ImportedModelConnection connection, ModelProvider provider, bool created, bool kept)
    {
        var what = created
            ? $"it is now the model provider '{provider.Name}' ({provider.Id}), made without an API key (the export holds none)"
            : $"the model provider '{provider.Name}' ({provider.Id}) already had this model and was reused";
        var steps = new List<string>();
        if (connection.NeedsBaseUrl && provider.BaseUrl is null)
        {
            steps.Add($"set its base URL to the OpenAI-compatible endpoint of your {model.SourceProvider} server (the export does not hold it)");
        }
        if (provider.ApiKeyProtected is null)
        {
            steps.Add("add its API key" + (connection.NeedsBaseUrl ? " if the server needs one" : ""));
        }
        var settings = Settings(model);
        steps.Add("choose it in the bot's model settings" + (settings.Length == 0 ? "" : kept ? $" (they already hold {settings})" : $" with {settings}"));
        var role = model.Answers ? "" : " There it sorted questions or read values out of them rather than answering; that node's own line says what the flow does instead.";
        return $"{Used(platform, model)}: {what}.{role} The bot still answers with its own model; to use this one, {string.Join(", then ", steps)}.";
    }

    private static string Used(string platform, ImportedModel model)
    {
        var settings = Settings(model);
        return $"{platform} used the model {model.SourceProvider} / {model.Name}" + (settings.Length > 0 ? $" ({settings})" : "");
    }

    private static string Settings(ImportedModel model) => string.Join(", ", new[]
    {
        model.Temperature is { } t ? "temperature " + t.ToString(CultureInfo.InvariantCulture) : null,
        model.MaxTokens is { } m ? "max tokens " + m.ToString(CultureInfo.InvariantCulture) : null,
    }.OfType<string>());
}

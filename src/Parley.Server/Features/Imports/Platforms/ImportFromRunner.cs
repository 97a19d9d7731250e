using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Tenancy;
using Parley.Engine.Imports;
using Parley.Engine.Imports.Typebot;
using Parley.Server.Features.Imports.Platforms.Chatwoot;
using Parley.Server.Features.Imports.Platforms.Typebot;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Persistence;

namespace Parley.Server.Features.Imports.Platforms;

/// <summary>Runs an <see cref="ImportFromCommand"/> on the server's own services and database.</summary>
public sealed class ImportFromRunner(IServiceProvider services, TextWriter output, TextWriter error)
{
    public async Task<int> RunAsync(ImportFromCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await ImportAsync(command, cancellationToken);
        }
        catch (ApiException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            foreach (var (field, messages) in ex.Errors ?? new Dictionary<string, string[]>())
            {
                await error.WriteLineAsync($"       {field}: {string.Join(" ", messages)}");
            }
            return ex.Status == StatusCodes.Status404NotFound && command.Bot != FlowImporter.NewBot ? ImportFromCommand.ExitUsage : ImportFromCommand.ExitFailed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message}");
            return ImportFromCommand.ExitFailed;
        }
    }

    private async Task<int> ImportAsync(ImportFromCommand command, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(command.Chatwoot?.TokenFile ?? command.FilePath);
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"error: there is no file {path}.");
            return ImportFromCommand.ExitUsage;
        }
        if (new FileInfo(path).Length > PlatformImportEndpoints.MaxFileBytes)
        {
            await error.WriteLineAsync($"error: {path} is larger than {PlatformImportEndpoints.MaxFileBytes / 1024 / 1024} MB; a flow export is far smaller.");
            return ImportFromCommand.ExitFailed;
        }
        var file = await File.ReadAllBytesAsync(path, cancellationToken);

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            await error.WriteLineAsync("error: the database has no Parley schema, or an older one: check the configured database, or start the server once to set it up.");
            return ImportFromCommand.ExitFailed;
        }
        await FieldEncryption.InitializeAsync(scope.ServiceProvider, db, cancellationToken);
        var workspaces = await db.Workspaces.AsNoTracking().OrderBy(w => w.Id).Select(w => w.Id).ToListAsync(cancellationToken);
        var workspaceId = command.WorkspaceId ?? (workspaces.Count == 1 ? workspaces[0] : null);
        if (workspaceId is null || !workspaces.Contains(workspaceId))
        {
            await error.WriteLineAsync(command.WorkspaceId is not null
                ? $"error: there is no workspace '{command.WorkspaceId}' in the database."
                : $"error: the database holds {workspaces.Count} workspaces ({string.Join(", ", workspaces)}); choose one with --workspace.");
            return ImportFromCommand.ExitUsage;
        }
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
        var importer = scope.ServiceProvider.GetRequiredService<FlowImporter>();
        Task Save(PlatformImportResponse _) => db.SaveChangesAsync(cancellationToken);
        var (response, created) = command.Chatwoot is { } chatwoot
            ? await scope.ServiceProvider.GetRequiredService<ChatwootImporter>().ImportAsync(
                new ChatwootImportRequest(chatwoot.Url, chatwoot.AccountId, System.Text.Encoding.UTF8.GetString(file).Trim(), command.Bot, chatwoot.InboxId),
                workspaceId, Save, cancellationToken)
            : command.Source == PlatformSources.Typebot.Name && TypebotResultsCsv.IsResultsExport(file)
            ? await scope.ServiceProvider.GetRequiredService<TypebotResultsImporter>().ImportAsync(file, command.Bot, workspaceId, Save, cancellationToken)
            : await importer.ImportAsync(command.Source, file, command.Bot, command.Publish, workspaceId, PlatformSources.Find(command.Source)!.Map, Save, cancellationToken);

        foreach (var block in response.Blocks.Where(b => b.Outcome != ImportOutcome.Created || b.Note is not null))
        {
            await output.WriteLineAsync($"{block.Outcome,-12} {block.BlockId} ({block.SourceType}, group '{block.Group}'): {block.Note}");
        }
        foreach (var note in response.Notes)
        {
            await output.WriteLineAsync("note         " + note);
        }
        var summary = response.Summary;
        await output.WriteLineAsync(created
            ? $"Imported {(command.Chatwoot is { } from ? from.Url : path)} into bot {response.BotId} ('{response.Name}') as {response.Id}{(response.PublishedVersion is { } v ? $", published as version {v}" : ", as its draft")}: "
                + $"{summary.Created} blocks created, {summary.Approximate} approximate, {summary.NotCarried} not carried over"
                + (summary.Conversations > 0 ? $"; {summary.Conversations} past conversations ({summary.Messages} messages) added" : "")
                + (summary.Leads > 0 ? $", {summary.Leads} leads captured." : ".")
            : $"{(command.Chatwoot is { } source ? source.Url : path)} was already imported into bot {response.BotId} as {response.Id}; nothing was changed.");
        return ImportFromCommand.ExitOk;
    }
}

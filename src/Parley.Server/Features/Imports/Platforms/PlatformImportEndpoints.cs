using Microsoft.AspNetCore.Http.HttpResults;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;
using Parley.Server.Infrastructure.Idempotency;
using Parley.Data.Tenancy;
using Parley.Engine.Imports.Typebot;
using Parley.Server.Features.Imports.Platforms.Chatwoot;
using Parley.Server.Features.Imports.Platforms.Typebot;

namespace Parley.Server.Features.Imports.Platforms;

/// <summary>Imports from other chatbot platforms: a file of theirs in, a Parley bot and a block-by-block report out.</summary>
public static class PlatformImportEndpoints
{
    /// <summary>The largest source file accepted; flow exports are far smaller, so a bigger file is refused unread.</summary>
    public const long MaxFileBytes = 10L * 1024 * 1024;

    public static IEndpointRouteBuilder MapPlatformImports(this IEndpointRouteBuilder api)
    {
        var imports = api.MapGroup("/imports").WithTags("Exports");
        foreach (var source in PlatformSources.All)
        {
            imports.MapPost($"/{source.Name}", (HttpRequest http, WorkspaceScope workspace, FlowImporter importer, TypebotResultsImporter results,
                    IdempotencyScope idempotency, CancellationToken cancellationToken) =>
                    ImportAsync(source, http, workspace, importer, results, idempotency, cancellationToken))
                .RequireScope(Scopes.BotsWrite)
                .WithName($"ImportFrom{source.Title}").WithSummary($"Import a {source.Title} export into a bot")
                .WithDescription(
                    $"Upload {source.File} as multipart/form-data: the file in the field `file`, " +
                    $"`bot` = `new` (the default: a new bot named after the {source.Title} one) or the id of a bot whose draft flow it replaces, " +
                    "and `publish` = `true` to publish it as the bot's next version. The file is checked and mapped first; one that " +
                    "cannot be imported is refused with 422 `invalid_import_file` and nothing is written. The answer reports every " +
                    $"{source.Title} block: `created`, `approximate` or `not_carried`, with the reason (see docs/migrate.md). The same file " +
                    "imported again into the same target changes nothing and answers 200 with the first import and `repeated: true`.")
                .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
                .DisableAntiforgery()
                .WithBodyLimit(MaxFileBytes + 64 * 1024)
                .WithFormOptions(multipartBodyLengthLimit: MaxFileBytes + 64 * 1024);
            imports.MapGet($"/{source.Name}/{{id}}", (string id, FlowImporter importer, CancellationToken cancellationToken) => GetAsync(source, id, importer, cancellationToken))
                .RequireScope(Scopes.BotsRead)
                .WithName($"Get{source.Title}Import").WithSummary($"A {source.Title} import and its report");
        }
        imports.MapChatwootImport();
        return api;
    }

    public static async Task<Results<Created<PlatformImportResponse>, Ok<PlatformImportResponse>>> ImportAsync(
        PlatformSource source, HttpRequest http, WorkspaceScope workspace, FlowImporter importer, TypebotResultsImporter results,
        IdempotencyScope idempotency, CancellationToken cancellationToken)
    {
        var (file, target, publish) = await ReadUploadAsync(http, cancellationToken);
        Task Save(PlatformImportResponse r) =>
            idempotency.SaveChangesAsync(StatusCodes.Status201Created, () => r, cancellationToken, $"/v1/imports/{source.Name}/{r.Id}");
        var (response, created) = source == PlatformSources.Typebot && TypebotResultsCsv.IsResultsExport(file.Span)
            ? await results.ImportAsync(file, target, workspace.WorkspaceId!, Save, cancellationToken)
            : await importer.ImportAsync(source.Name, file, target, publish, workspace.WorkspaceId!, source.Map, Save, cancellationToken);
        return created ? TypedResults.Created($"/v1/imports/{source.Name}/{response.Id}", response) : TypedResults.Ok(response);
    }

    public static async Task<Ok<PlatformImportResponse>> GetAsync(PlatformSource source, string id, FlowImporter importer, CancellationToken cancellationToken) =>
        TypedResults.Ok(await importer.GetAsync(id, cancellationToken) is { } found && found.Source == source.Name
            ? found
            : throw ApiException.NotFound("import", id));

    private static async Task<(ReadOnlyMemory<byte> File, string Target, bool Publish)> ReadUploadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        if (!http.HasFormContentType)
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                "Upload the export as multipart/form-data with the file in the field 'file'.");
        }
        var form = await http.ReadFormAsync(cancellationToken);
        var upload = form.Files.GetFile("file") ?? (form.Files.Count > 0 ? form.Files[0] : null)
            ?? throw ApiException.Invalid("file", "file is required: the exported flow.");
        if (upload.Length > MaxFileBytes)
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge,
                $"The file is {upload.Length} bytes; the limit is {MaxFileBytes / 1024 / 1024} MB.");
        }
        var target = form["bot"].ToString() is { Length: > 0 } bot ? bot.Trim() : FlowImporter.NewBot;
        var publishText = form["publish"].ToString();
        if (!bool.TryParse(publishText.Length == 0 ? "false" : publishText, out var publish))
        {
            throw ApiException.Invalid("publish", "publish must be true or false.");
        }
        var buffer = new MemoryStream((int)upload.Length);
        await upload.CopyToAsync(buffer, cancellationToken);
        return (buffer.GetBuffer().AsMemory(0, (int)buffer.Length), target, publish);
    }
}

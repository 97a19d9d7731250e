using Microsoft.AspNetCore.Http.HttpResults;
using Parley.Data.Tenancy;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;
using Parley.Server.Infrastructure.Idempotency;

namespace Parley.Server.Features.Imports.Platforms.Chatwoot;

/// <summary><c>POST /v1/imports/chatwoot</c>: a pull of a Chatwoot account's contacts and conversations over its API.</summary>
public static class ChatwootImportEndpoints
{
    public static RouteGroupBuilder MapChatwootImport(this RouteGroupBuilder imports)
    {
        imports.MapPost($"/{ChatwootImporter.Source}", ImportAsync)
            .RequireScope(Scopes.BotsWrite)
            .WithName("ImportFromChatwoot").WithSummary("Import a Chatwoot account's contacts and conversations")
            .WithDescription(
                "Reads the account through Chatwoot's application API, within Parley's outbound network rules: `url` (the address Chatwoot is served on), " +
                "`account_id`, `access_token` (a user's access token; used for this request only and never stored), `bot` (`new`, the default, or the id " +
                "of the bot the conversations go to) and `inbox_id` (optional: one inbox only). Every conversation is read with its messages (paging " +
                "backwards) before anything is written; then its contact, the conversation (closed), its messages at their own times and its private notes " +
                "(as internal notes) are added in one transaction. Chatwoot refusing the token or the account answers 422 `import_source_refused`; Chatwoot " +
                "unreachable, slow or answering other than its API does answers 502 `import_source_unavailable`; nothing is written then. Importing the same " +
                "account again adds only what is new (201), or answers 200 with the last import and `repeated: true` when there is nothing new. See docs/migrate.md.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .WithBodyLimit(16 * 1024);
        imports.MapGet($"/{ChatwootImporter.Source}/{{id}}", GetAsync)
            .RequireScope(Scopes.BotsRead)
            .WithName("GetChatwootImport").WithSummary("A Chatwoot import and its report");
        return imports;
    }

    public static async Task<Results<Created<PlatformImportResponse>, Ok<PlatformImportResponse>>> ImportAsync(
        ChatwootImportRequest? request, WorkspaceScope workspace, ChatwootImporter importer, IdempotencyScope idempotency, CancellationToken cancellationToken)
    {
        var (response, created) = await importer.ImportAsync(request, workspace.WorkspaceId!,
            r => idempotency.SaveChangesAsync(StatusCodes.Status201Created, () => r, cancellationToken, $"/v1/imports/{ChatwootImporter.Source}/{r.Id}"),
            cancellationToken);
        return created ? TypedResults.Created($"/v1/imports/{ChatwootImporter.Source}/{response.Id}", response) : TypedResults.Ok(response);
    }

    public static async Task<Ok<PlatformImportResponse>> GetAsync(string id, FlowImporter importer, CancellationToken cancellationToken) =>
        TypedResults.Ok(await importer.GetAsync(id, cancellationToken) is { } found && found.Source == ChatwootImporter.Source
            ? found
            : throw ApiException.NotFound("import", id));
}

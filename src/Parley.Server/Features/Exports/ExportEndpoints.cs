using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Background;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Idempotency;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Exports;

public static class ExportEndpoints
{
    private const int MaxBotIds = 100;

    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder api)
    {
        var exports = api.MapGroup("/exports").WithTags("Exports");
        exports.MapPost("/", Create).RequireScope(Scopes.ExportsWrite)
            .WithName("CreateExport").WithSummary("Queue a full workspace export")
            .WithDescription("Answers 202 with the job; poll it until `status` is `succeeded`, then download the zip archive. PII in clear needs `include_pii` and the `export:pii` scope.");
        exports.MapGet("/", List).RequireScope(Scopes.ExportsRead)
            .WithName("ListExports").WithSummary("List export jobs, newest first");
        exports.MapGet("/{id}", Get).RequireScope(Scopes.ExportsRead)
            .WithName("GetExport").WithSummary("An export job: status, progress and counts");
        exports.MapGet("/{id}/download", Download).RequireScope(Scopes.ExportsRead)
            .WithName("DownloadExport").WithSummary("The archive of a finished export (application/zip)")
            .Produces<Stream>(StatusCodes.Status200OK, "application/zip");
        return api;
    }

    public static async Task<Accepted<ExportResponse>> Create(
        CreateExportRequest request, ParleyDbContext db, WorkspaceScope workspace, Caller caller, IdempotencyScope idempotency,
        WakeSignal<ExportWorker> worker, IdGenerator ids, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        ExportRequestValidation.CheckRange(errors, request.Since, request.Until);
        var botIds = request.BotIds?.Distinct().ToList() ?? [];
        if (botIds.Count > MaxBotIds)
        {
            errors["bot_ids"] = [$"bot_ids holds at most {MaxBotIds} ids."];
        }
        else if (botIds.Count > 0)
        {
            var known = await db.Bots.IgnoreQueryFilters([QueryFilters.NotDeleted]).Where(b => botIds.Contains(b.Id)).Select(b => b.Id).ToListAsync(cancellationToken);
            if (botIds.Except(known).ToList() is { Count: > 0 } unknown)
            {
                errors["bot_ids"] = [$"No bot with id {string.Join(", ", unknown.Select(id => $"'{id}'"))} exists in this workspace."];
            }
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        var includePii = ExportRequestValidation.PiiAllowed(caller, request.IncludePii ?? false);
        var job = new ExportJob
        {
            Id = ids.New(IdPrefix.Export),
            WorkspaceId = workspace.WorkspaceId!,
            Status = ExportJobStatus.Pending,
            IncludePii = includePii,
            BotIds = botIds,
            Since = request.Since,
            Until = request.Until,
            CreatedAt = time.GetUtcNow(),
        };
        db.ExportJobs.Add(job);
        var location = $"/v1/exports/{job.Id}";
        await idempotency.SaveChangesAsync(StatusCodes.Status202Accepted, () => ExportResponse.From(job), cancellationToken, location);
        worker.Notify();
        return TypedResults.Accepted(location, ExportResponse.From(job));
    }

    public static Task<CursorPage<ExportResponse>> List(ParleyDbContext db, int? limit, string? after, CancellationToken cancellationToken) =>
        Paging.NewestFirstAsync(db.ExportJobs.AsNoTracking(), limit, after, ExportResponse.From, cancellationToken);

    public static async Task<Ok<ExportResponse>> Get(string id, ParleyDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(ExportResponse.From(await FindAsync(db, id, cancellationToken)));

    public static async Task<FileStreamHttpResult> Download(string id, ParleyDbContext db, ExportStorage storage, CancellationToken cancellationToken)
    {
        var job = await FindAsync(db, id, cancellationToken);
        if (job.Status != ExportJobStatus.Succeeded)
        {
            throw ApiException.Conflict($"Export '{id}' is {job.Status}; its archive can be downloaded once it has succeeded.");
        }
        var path = storage.ArchivePath(job.Id);
        if (!File.Exists(path))
        {
            throw new ApiException(StatusCodes.Status410Gone, ErrorCodes.NotFound, $"The archive of export '{id}' is no longer on this server; queue a new export.");
        }
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return TypedResults.File(stream, "application/zip", $"parley-export-{job.Id}.zip");
    }

    private static async Task<ExportJob> FindAsync(ParleyDbContext db, string id, CancellationToken cancellationToken) =>
        await db.ExportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken) ?? throw ApiException.NotFound("export", id);
}

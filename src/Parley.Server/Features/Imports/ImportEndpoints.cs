using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;
using Parley.Server.Infrastructure.Idempotency;
using Parley.Server.Infrastructure.Persistence;

namespace Parley.Server.Features.Imports;

public static class ImportEndpoints
{
    /// <summary>The largest archive an import accepts.</summary>
    public const long MaxArchiveBytes = 4L * 1024 * 1024 * 1024;

    public static IEndpointRouteBuilder MapImports(this IEndpointRouteBuilder api)
    {
        var imports = api.MapGroup("/imports").WithTags("Exports");
        imports.MapPost("/", Create).RequireScope(Scopes.ExportsWrite)
            .WithName("CreateImport").WithSummary("Import an export archive into this workspace")
            .WithDescription(
                "Upload the zip as multipart/form-data (field `archive`). The archive is checked first (manifest, format version, " +
                "SHA-256 per file, schema of every row); a bad one is refused with 422 `invalid_archive` and nothing is written. " +
                "Then every row is written in one transaction: ids are kept, rows already here are skipped, ids taken by another " +
                "workspace get new ones. Importing the same archive twice changes nothing the second time. " +
                "Dashboard users come without passwords (the report's notes name each one, who must set one through a reset link); " +
                "users whose role is above the caller's are not restored, nor are invitation links.")
            .DisableAntiforgery()
            .WithBodyLimit(MaxArchiveBytes)
            .WithFormOptions(multipartBodyLengthLimit: MaxArchiveBytes);
        imports.MapGet("/{id}", Get).RequireScope(Scopes.ExportsRead)
            .WithName("GetImport").WithSummary("An import and its report");
        return api;
    }

    public static async Task<Created<ImportResponse>> Create(
        HttpRequest http, WorkspaceScope workspace, Caller caller, ArchiveImporter importer, IdempotencyScope idempotency, StorageOptions storage,
        IdGenerator ids, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!http.HasFormContentType)
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                "Upload the archive as multipart/form-data with the zip in the field 'archive'.");
        }
        var form = await http.ReadFormAsync(cancellationToken);
        var upload = form.Files.GetFile("archive") ?? (form.Files.Count > 0 ? form.Files[0] : null)
            ?? throw ApiException.Invalid("archive", "archive is required: the zip file of an export.");

        var folder = Path.Combine(storage.DataDirectory, "imports");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, ids.New(IdPrefix.Import) + ".zip.part");
        try
        {
            string sha256;
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await upload.CopyToAsync(file, cancellationToken);
                file.Position = 0;
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
                file.Position = 0;
                using var archive = await ArchiveReader.OpenAsync(file, cancellationToken);
                var now = time.GetUtcNow();
                var job = await importer.ImportAsync(archive, workspace.WorkspaceId!, report => new ImportJob
                {
                    Id = ids.New(IdPrefix.Import),
                    WorkspaceId = workspace.WorkspaceId!,
                    Status = "succeeded",
                    ArchiveSha256 = sha256,
                    ReportJson = System.Text.Json.JsonSerializer.Serialize(report, ApiJson.Options),
                    CreatedAt = now,
                    CompletedAt = time.GetUtcNow(),
                }, cancellationToken, save: job => idempotency.SaveChangesAsync(
                    StatusCodes.Status201Created, () => ImportResponse.From(job), cancellationToken, $"/v1/imports/{job.Id}"),
                    maxRoleRank: Accounts.TeamRules.RankOf(caller));
                return TypedResults.Created($"/v1/imports/{job.Id}", ImportResponse.From(job));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static async Task<Ok<ImportResponse>> Get(string id, ParleyDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(ImportResponse.From(
            await db.ImportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id && !j.ReportJson.StartsWith(Platforms.PlatformImportRecord.Marker), cancellationToken)
            ?? throw ApiException.NotFound("import", id)));
}

using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Server.Features.Conversations;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Exports;

/// <summary>
/// <c>GET /v1/export/{entity}.{ndjson|csv|json}</c>: one entity of the workspace, streamed from the database in id
/// order. A client that lost the connection resumes with <c>after=&lt;the last id it received&gt;</c>.
/// </summary>
public static class StreamingExportEndpoints
{
    public static readonly IReadOnlyList<string> Formats = ["ndjson", "csv", "json"];

    public static IEndpointRouteBuilder MapStreamingExports(this IEndpointRouteBuilder api)
    {
        api.MapGet("/export/{entity}.{format}", Stream).RequireScope(Scopes.ExportsRead)
            .WithTags("Exports")
            .WithName("StreamExport")
            .WithSummary("Stream one entity as NDJSON, CSV or JSON")
            .WithDescription(
                "Entities: " + string.Join(", ", ExportEntities.Streamable.Keys) + ". Rows come oldest first (id order); " +
                "filter with `since`/`until` (creation time, inclusive/exclusive) and `bot_id`; resume with `after=<last id received>`; " +
                "`limit` caps the rows (the JSON form then ends with `next_cursor`). The conversations export also takes the conversation list's filters " +
                "(`status`, `channel`, `has_lead`, `flagged`, `unanswered`, `q`); other entities refuse them. Personal data (contact, lead and booking details, " +
                "message text, event data, page URLs and UTM, flow state, webhook answer excerpts: every field stored encrypted) is " +
                "included only with `include_pii=true`, which needs the `export:pii` scope; without it those fields are left out.")
            .Produces<JsonElement>(StatusCodes.Status200OK, "application/x-ndjson", "text/csv", "application/json");
        return api;
    }

    public static async Task Stream(
        HttpContext http, string entity, string format, ParleyDbContext db, Caller caller,
        DateTimeOffset? since, DateTimeOffset? until, [FromQuery(Name = "bot_id")] string? botId, string? after, long? limit,
        [FromQuery(Name = "include_pii")] bool? includePii, [AsParameters] ConversationFilter conversationFilter, CancellationToken cancellationToken)
    {
        if (!ExportEntities.Streamable.TryGetValue(entity, out var exported))
        {
            throw new ApiException(StatusCodes.Status404NotFound, ErrorCodes.NotFound,
                $"There is no export of '{entity}'. Exportable: {string.Join(", ", ExportEntities.Streamable.Keys)}.");
        }
        if (!Formats.Contains(format))
        {
            throw new ApiException(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"Exports come as .ndjson, .csv or .json, not .{format}.");
        }
        var errors = new Dictionary<string, string[]>();
        ExportRequestValidation.CheckRange(errors, since, until);
        if (limit is < 1)
        {
            errors["limit"] = ["limit must be at least 1."];
        }
        var byConversation = !conversationFilter.IsEmpty;
        if (exported == ExportEntities.Conversations)
        {
            conversationFilter.Validate(errors);
        }
        else if (byConversation)
        {
            foreach (var parameter in ConversationFilter.Parameters.Where(http.Request.Query.ContainsKey))
            {
                errors[parameter] = [$"{parameter} filters only the conversations export, not {entity}."];
            }
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        var pii = ExportRequestValidation.PiiAllowed(caller, includePii ?? false);
        var filter = new ExportFilter(since, until, botId is null ? [] : [botId], pii, byConversation ? conversationFilter : null, caller.MayReadPii());
        if (exported == ExportEntities.Conversations)
        {
            var candidates = db.Conversations.AsNoTracking().Where(c => botId == null || c.BotId == botId);
            filter = filter with { ConversationMessageMatches = await conversationFilter.MessageMatchesAsync(candidates, db, caller.MayReadPii(), enough: null, cancellationToken) };
        }

        http.Response.ContentType = RecordWriter.ContentType(format);
        http.Response.Headers["X-Parley-Pii"] = pii ? "included" : "omitted";
        var writer = RecordWriter.For(format, http.Response.Body, exported, pii);
        writer.Begin();
        // The first bytes go out before the first query, so clients see the response start at once.
        await writer.FlushAsync(cancellationToken);
        long written = 0;
        string? lastId = null;
        await foreach (var row in exported.RowsAsync(db, filter, after, limit, cancellationToken))
        {
            writer.Write(row.Record);
            lastId = row.Id;
            if (++written % ExportEntity.PageSize == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
        writer.End(limit is not null && written == limit ? lastId : null);
        await writer.FlushAsync(cancellationToken);
    }
}

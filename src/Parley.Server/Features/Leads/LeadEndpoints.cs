using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Protection;
using Parley.Engine.Events;
using Parley.Engine.Ids;
using Parley.Engine.Leads;
using Parley.Server.Features.Bots;
using Parley.Server.Features.Events;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Idempotency;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Leads;

public static class LeadEndpoints
{
    private const int MaxCaptureAttempts = 20;

    public static IEndpointRouteBuilder MapLeads(this IEndpointRouteBuilder api)
    {
        var leads = api.MapGroup("/leads").WithTags("Leads");
        leads.MapPost("/", CreateLead).RequireScope(Scopes.LeadsWrite)
            .WithName("CreateLead").WithSummary("Capture a lead")
            .WithDescription("Captures a lead from a conversation (`conversation_id`) or a contact (`contact_id`, its latest conversation), as the `capture lead` flow block does. "
                + "A lead with the same email (normalised) in this workspace is updated instead: 200 with `lead.updated`; a new lead answers 201 with `lead.captured`. Phone numbers are stored in E.164.")
            .Produces<LeadResponse>(StatusCodes.Status200OK);
        leads.MapGet("/", ListLeads).RequireScope(Scopes.LeadsRead)
            .WithName("ListLeads").WithSummary("List leads")
            .WithDescription("Newest first. Filter by `status`, `min_score`, `created_after` / `created_before` (ISO 8601), `bot_id`, and `email` (exact address, case-insensitive, found through the blind index). "
                + "Personal data is hidden from viewers as on `GET /v1/leads/{id}`.");
        leads.MapGet("/export.csv", LeadCsvDownload.DownloadAsync).RequireScope(Scopes.LeadsRead)
            .WithName("DownloadLeadsCsv").WithSummary("Download the filtered leads as CSV")
            .WithDescription("Every lead that passes the filters of `GET /v1/leads` (the same query parameters), newest first, as RFC 4180 CSV with a header row: the columns of `GET /v1/export/leads.csv`. "
                + "The personal-data columns (name, email, phone, custom, page_url, referrer, utm) are left out for callers who may not read personal data (`X-Parley-Pii: omitted`).")
            .Produces<string>(StatusCodes.Status200OK, LeadCsvDownload.ContentType);
        leads.MapGet("/{id}", GetLead).RequireScope(Scopes.LeadsRead)
            .WithName("GetLead").WithSummary("Get a lead")
            .WithDescription("Name, email, phone and custom fields are personal data: null, with `pii_hidden` true, for callers without the `agent` or `export:pii` scope (viewers, narrow keys), as on contacts.");
        leads.MapGet("/{id}/score", GetLeadScore).RequireScope(Scopes.LeadsRead)
            .WithName("GetLeadScore").WithSummary("Explain a lead's score")
            .WithDescription("The rules that give the lead points (`parts`: `rule`, `points`, `detail`), computed now from the configured rules, the lead and its conversation; the score is their sum capped at `maximum`. "
                + "The stored `score` is computed on each capture and update, so it differs when the rules or the conversation changed since.");
        leads.MapPatch("/{id}", UpdateLead).RequireScope(Scopes.LeadsWrite)
            .WithName("UpdateLead").WithSummary("Update a lead")
            .WithDescription("Moves the lead along the pipeline new → contacted → qualified → won, or to lost from any open stage (422 `invalid_state_transition` otherwise), and edits its fields. Records `lead.updated`.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        leads.MapDelete("/{id}", DeleteLead).RequireScope(Scopes.LeadsWrite)
            .WithName("DeleteLead").WithSummary("Delete a lead")
            .WithDescription("Deletes the lead for good; its conversation and contact stay.");
        return api;
    }

    public static async Task<Results<Created<LeadResponse>, Ok<LeadResponse>>> CreateLead(
        CreateLeadRequest request, ParleyDbContext db, LeadCapture capture, IdempotencyScope idempotency, CancellationToken cancellationToken)
    {
        var conversation = request.ConversationId is { Length: > 0 } conversationId
            ? await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken)
                ?? throw ApiException.Invalid("conversation_id", $"No conversation with id '{conversationId}' exists in this workspace.")
            : request.ContactId is { Length: > 0 } contactId
                ? await db.Conversations.AsNoTracking().Where(c => c.ContactId == contactId).OrderByDescending(c => c.Id).FirstOrDefaultAsync(cancellationToken)
                    ?? throw ApiException.Invalid("contact_id", $"No contact with id '{contactId}' and a conversation exists in this workspace.")
                : throw ApiException.Invalid("conversation_id", "conversation_id or contact_id is required: the conversation the lead came from.");
        if (request.ContactId is { Length: > 0 } given && given != conversation.ContactId)
        {
            throw ApiException.Invalid("contact_id", "contact_id is not the contact of that conversation.");
        }
        var fields = request.Fields ?? new LeadFields();
        var captureRequest = new LeadCaptureRequest(conversation.BotId, conversation.Id, conversation.ContactId,
            fields.Name, fields.Email, fields.Phone, fields.Company, fields.Custom ?? []);
        for (var attempt = 1; ; attempt++)
        {
            LeadCaptureResult result;
            try
            {
                result = await capture.StageAsync(db, captureRequest, cancellationToken);
            }
            catch (LeadInputException invalid)
            {
                throw ApiException.Invalid(invalid.Errors);
            }
            var lead = db.Leads.Local.First(l => l.Id == result.LeadId);
            var response = LeadResponse.From(lead);
            var location = $"/v1/leads/{lead.Id}";
            try
            {
                await idempotency.SaveChangesAsync(result.Created ? 201 : 200, () => response, cancellationToken, location);
            }
            catch (DbUpdateException ex) when (attempt < MaxCaptureAttempts && (ex is DbUpdateConcurrencyException || UniqueViolation.IsUniqueViolation(ex)))
            {
                // A concurrent capture created or changed the lead for this email first: capture again on top of it.
                db.ChangeTracker.Clear();
                continue;
            }
            return result.Created ? TypedResults.Created(location, response) : TypedResults.Ok(response);
        }
    }

    public static async Task<CursorPage<LeadResponse>> ListLeads(
        ParleyDbContext db, FieldCipher cipher, Caller caller, [AsParameters] LeadFilter filter,
        int? limit, string? after, CancellationToken cancellationToken)
    {
        var query = filter.Apply(db, cipher);
        var piiVisible = caller.MayReadPii();
        return await Paging.NewestFirstAsync(query, limit, after, l => LeadResponse.From(l, piiVisible), cancellationToken);
    }

    public static async Task<Ok<LeadResponse>> GetLead(string id, ParleyDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw ApiException.NotFound("lead", id);
        return TypedResults.Ok(LeadResponse.From(lead, caller.MayReadPii()));
    }

    public static async Task<Ok<LeadScoreResponse>> GetLeadScore(
        string id, ParleyDbContext db, IOptionsMonitor<LeadOptions> options, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw ApiException.NotFound("lead", id);
        var rules = options.CurrentValue.Scoring;
        var input = LeadCapture.ScoreInput(lead, await LeadCapture.TranscriptAsync(db, lead.ConversationId, cancellationToken));
        return TypedResults.Ok(new LeadScoreResponse(lead.Id, LeadScorer.Score(rules, input), rules.Maximum, LeadScorer.Explain(rules, input)));
    }

    public static async Task<Ok<LeadResponse>> UpdateLead(
        string id, UpdateLeadRequest request, ParleyDbContext db, EventLog events, IOptionsMonitor<LeadOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == id, cancellationToken) ?? throw ApiException.NotFound("lead", id);
        if (request.Status is { } status)
        {
            if (!LeadStatus.All.Contains(status))
            {
                throw ApiException.Invalid("status", $"status must be one of {string.Join(", ", LeadStatus.All)}.");
            }
            if (!LeadStatus.CanMove(lead.Status, status))
            {
                var next = LeadStatus.Next(lead.Status);
                throw new ApiException(StatusCodes.Status422UnprocessableEntity, ErrorCodes.InvalidStateTransition,
                    $"A {lead.Status} lead cannot become {status}; " + (next.Count == 0 ? "it is closed." : $"it can become {string.Join(" or ", next)}."));
            }
        }
        if (request.Fields is { } given)
        {
            LeadFields fields;
            try
            {
                fields = LeadFieldRules.Normalize(given, options.CurrentValue.DefaultPhoneRegion);
            }
            catch (LeadInputException invalid)
            {
                throw ApiException.Invalid(invalid.Errors);
            }
            // Given but blank clears; left out (null) stays.
            lead.Name = given.Name is null ? lead.Name : fields.Name;
            lead.Email = given.Email is null ? lead.Email : fields.Email;
            lead.Phone = given.Phone is null ? lead.Phone : fields.Phone;
            lead.Company = given.Company is null ? lead.Company : fields.Company;
            lead.Custom = given.Custom is null ? lead.Custom : fields.Custom ?? [];
        }
        lead.Status = request.Status ?? lead.Status;
        var transcript = await LeadCapture.TranscriptAsync(db, lead.ConversationId, cancellationToken);
        lead.Score = LeadCapture.Score(options.CurrentValue.Scoring, lead, transcript);
        lead.UpdatedAt = time.GetUtcNow();
        lead.Version++;
        events.Add(EventTypes.LeadUpdated, lead.ConversationId, LeadEventData.From(lead, transcript));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (UniqueViolation.IsUniqueViolation(ex))
        {
            throw ApiException.Conflict("Another lead in this workspace has that email address.");
        }
        catch (DbUpdateConcurrencyException)
        {
            throw ApiException.Conflict("The lead changed while this request ran; read it again and retry.");
        }
        return TypedResults.Ok(LeadResponse.From(lead));
    }

    public static async Task<Ok<DeletedResponse>> DeleteLead(string id, ParleyDbContext db, CancellationToken cancellationToken)
    {
        var deleted = await db.Leads.Where(l => l.Id == id).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? throw ApiException.NotFound("lead", id) : TypedResults.Ok(new DeletedResponse(id, true));
    }
}

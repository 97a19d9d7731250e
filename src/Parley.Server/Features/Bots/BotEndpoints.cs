using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Server.Features.Bookings;
using Parley.Server.Features.Flows;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Idempotency;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Bots;

public static class BotEndpoints
{
    public static IEndpointRouteBuilder MapBots(this IEndpointRouteBuilder api)
    {
        var bots = api.MapGroup("/bots").WithTags("Bots");
        bots.MapPost("/", CreateBot).RequireScope(Scopes.BotsWrite)
            .WithName("CreateBot").WithSummary("Create a bot")
            .WithDescription("`model.provider` is `builtin` or the id of a model provider of this workspace; an unknown id (also in `model.fallback_provider`) is refused with 422. With `template` (`faq_lead_capture`, `appointment_booking` or `qualify_handoff`) the bot starts with that flow, saved as its draft and published as version 1.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        bots.MapGet("/", ListBots).RequireScope(Scopes.BotsRead)
            .WithName("ListBots").WithSummary("List bots");
        bots.MapGet("/{id}", GetBot).RequireScope(Scopes.BotsRead)
            .WithName("GetBot").WithSummary("Get a bot");
        bots.MapPatch("/{id}", UpdateBot).RequireScope(Scopes.BotsWrite)
            .WithName("UpdateBot").WithSummary("Update a bot")
            .WithDescription("Fields left out or null stay unchanged; an empty string clears an optional text. `booking` sets the booking calendar (see docs/bookings.md); `false` removes it. An unknown model provider id is refused with 422.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        bots.MapDelete("/{id}", DeleteBot).RequireScope(Scopes.BotsWrite)
            .WithName("DeleteBot").WithSummary("Delete a bot")
            .WithDescription("The bot stops answering and its publishable keys are revoked; its conversations stay readable.");
        return api;
    }

    public static async Task<Created<BotResponse>> CreateBot(
        CreateBotRequest request, ParleyDbContext db, WorkspaceScope workspace, IdempotencyScope idempotency,
        IdGenerator ids, TimeProvider time, CancellationToken cancellationToken)
    {
        var check = new BotValidation();
        var now = time.GetUtcNow();
        var bot = new Bot
        {
            Id = ids.New(IdPrefix.Bot),
            WorkspaceId = workspace.WorkspaceId!,
            Name = check.Text("name", request.Name, 100, required: true) ?? "",
            Instructions = Blank(check.Text("instructions", request.Instructions, 20_000)),
            Greeting = Blank(check.Text("greeting", request.Greeting, 1_000)),
            FallbackText = Blank(check.Text("fallback_text", request.FallbackText, 1_000)) ?? BotValidation.DefaultFallbackText,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await check.ApplyModelAsync(bot.Model, request.Model, ProviderExists(db, cancellationToken));
        check.ApplyTheme(bot.Theme, request.Theme);
        bot.GuardrailsJson = check.JsonObject("guardrails", request.Guardrails, null);
        bot.EscalationJson = check.JsonObject("escalation", request.Escalation, null);
        bot.BusinessHoursJson = check.JsonObject("business_hours", request.BusinessHours, null);
        bot.BookingJson = BookingSettingsJson.Apply(check.Errors, request.Booking, null);
        string? template = null;
        if (request.Template is not null && (template = FlowTemplates.Load(request.Template)) is null)
        {
            check.Errors["template"] = [$"Unknown template '{request.Template}'; templates: {string.Join(", ", FlowTemplates.Names)}."];
        }
        check.ThrowIfInvalid();
        if (template is not null)
        {
            bot.FlowDraftJson = template;
            FlowEndpoints.PublishVersion(bot, template, now);
        }
        db.Bots.Add(bot);
        var response = BotResponse.From(bot);
        await idempotency.SaveChangesAsync(201, () => response, cancellationToken, $"/v1/bots/{bot.Id}");
        return TypedResults.Created($"/v1/bots/{bot.Id}", response);
    }

    public static Task<CursorPage<BotResponse>> ListBots(ParleyDbContext db, int? limit, string? after, CancellationToken cancellationToken) =>
        Paging.NewestFirstAsync(db.Bots.AsNoTracking(), limit, after, BotResponse.From, cancellationToken);

    public static async Task<Ok<BotResponse>> GetBot(string id, ParleyDbContext db, CancellationToken cancellationToken)
    {
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) ?? throw ApiException.NotFound("bot", id);
        return TypedResults.Ok(BotResponse.From(bot));
    }

    public static async Task<Ok<BotResponse>> UpdateBot(
        string id, UpdateBotRequest request, ParleyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var bot = await db.Bots.FirstOrDefaultAsync(b => b.Id == id, cancellationToken) ?? throw ApiException.NotFound("bot", id);
        var check = new BotValidation();
        if (request.Name is not null)
        {
            bot.Name = check.Text("name", request.Name, 100, required: true)!;
        }
        if (request.Instructions is not null)
        {
            bot.Instructions = Blank(check.Text("instructions", request.Instructions, 20_000));
        }
        if (request.Greeting is not null)
        {
            bot.Greeting = Blank(check.Text("greeting", request.Greeting, 1_000));
        }
        if (request.FallbackText is not null)
        {
            bot.FallbackText = Blank(check.Text("fallback_text", request.FallbackText, 1_000)) ?? BotValidation.DefaultFallbackText;
        }
        await check.ApplyModelAsync(bot.Model, request.Model, ProviderExists(db, cancellationToken));
        check.ApplyTheme(bot.Theme, request.Theme);
        bot.GuardrailsJson = check.JsonObject("guardrails", request.Guardrails, bot.GuardrailsJson);
        bot.EscalationJson = check.JsonObject("escalation", request.Escalation, bot.EscalationJson);
        bot.BusinessHoursJson = check.JsonObject("business_hours", request.BusinessHours, bot.BusinessHoursJson);
        bot.BookingJson = BookingSettingsJson.Apply(check.Errors, request.Booking, bot.BookingJson);
        check.ThrowIfInvalid();
        bot.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(BotResponse.From(bot));
    }

    public static async Task<Ok<DeletedResponse>> DeleteBot(
        string id, ParleyDbContext db, ApiKeyDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        var bot = await db.Bots.FirstOrDefaultAsync(b => b.Id == id, cancellationToken) ?? throw ApiException.NotFound("bot", id);
        var now = time.GetUtcNow();
        bot.DeletedAt = now;
        var keys = await db.ApiKeys.Where(k => k.BotId == id && k.RevokedAt == null).ToListAsync(cancellationToken);
        foreach (var key in keys)
        {
            key.RevokedAt = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        keys.ForEach(directory.Evict);
        return TypedResults.Ok(new DeletedResponse(id, true));
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static Func<string, Task<bool>> ProviderExists(ParleyDbContext db, CancellationToken cancellationToken) =>
        id => db.ModelProviders.AnyAsync(p => p.Id == id, cancellationToken);
}

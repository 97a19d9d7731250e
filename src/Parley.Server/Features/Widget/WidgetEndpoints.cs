using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Turns;
using Parley.Server.Features.Bots;
using Parley.Server.Features.Conversations;
using Parley.Server.Features.Conversations.Transcript;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Widget;

public static class WidgetEndpoints
{
    private const int TranscriptLength = 100;

    public static IEndpointRouteBuilder MapWidget(this IEndpointRouteBuilder api)
    {
        var widget = api.MapGroup("/widget").WithTags("Widget");
        widget.MapPost("/sessions", OpenSession).RequirePublishableKey()
            .WithName("OpenWidgetSession").WithSummary("Open or resume a widget session")
            .WithDescription("Called by the widget with its publishable key, from one of the key's allowed origins. Returns a session token scoped to one visitor and their conversations with the key's bot. "
                + "A visitor without an open conversation gets 429 `quota_exceeded` when the workspace's plan allows no more conversations this month.");
        widget.MapPost("/bot", ReadBot).RequirePublishableKey()
            .WithName("ReadWidgetBot").WithSummary("Read the bot's public profile")
            .WithDescription("The key's bot: name, greeting and theme. The widget reads it on a visitor's first page view to draw its launcher, and opens a session (which starts a conversation) only when the visitor opens the chat or writes. Writes nothing. A POST so that browsers send the page's Origin, which publishable keys are checked against; a same-origin GET carries none.");
        return api;
    }

    public static async Task<Ok<WidgetBot>> ReadBot(Caller caller, ParleyDbContext db, CancellationToken cancellationToken)
    {
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == caller.BotId, cancellationToken)
            ?? throw ApiException.NotFound("bot", caller.BotId ?? "");
        return TypedResults.Ok(WidgetBot.From(bot));
    }

    /// <summary>What opening a widget session takes.</summary>
    public sealed record WidgetSessionServices(
        Caller Caller, ParleyDbContext Db, ConversationStarter Starter, WidgetSessionTokens Tokens, ConversationTranscript Transcript);

    public static async Task<Ok<WidgetSessionResponse>> OpenSession(
        CreateWidgetSessionRequest request, HttpContext http, [AsParameters] WidgetSessionServices services, CancellationToken cancellationToken)
    {
        var (caller, db, starter, tokens, transcript) = services;
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == caller.BotId, cancellationToken)
            ?? throw ApiException.NotFound("bot", caller.BotId ?? "");
        var userAgent = http.Request.Headers.UserAgent.ToString();

        var earlier = request.SessionToken is { Length: > 0 } token ? tokens.Read(token) : null;
        var contact = earlier is not null && earlier.WorkspaceId == caller.WorkspaceId && earlier.BotId == bot.Id
            ? await db.Contacts.FirstOrDefaultAsync(c => c.Id == earlier.ContactId, cancellationToken)
            : null;
        var contactInput = new ContactInput(null, request.Contact?.Name, request.Contact?.Email, request.Contact?.Phone, null);
        if (contact is null)
        {
            contact = await starter.FindOrCreateContactAsync(contactInput, cancellationToken);
        }
        else if (request.Contact is not null)
        {
            // Widget visitors have no external id: the session's own contact is the one to update.
            await starter.FindOrCreateContactAsync(contactInput, cancellationToken, existing: contact);
        }

        var openId = await db.Conversations.AsNoTracking()
            .Where(c => c.ContactId == contact.Id && c.BotId == bot.Id && c.Status != ConversationStatus.Closed)
            .OrderByDescending(c => c.Id)
            .Select(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken);
        // Fresh metadata is a write to the conversation: it waits for the visitor's messages still being answered.
        var conversation = openId is null ? null : await transcript.OpenAsync(openId, cancellationToken);
        ConversationResponse conversationResponse;
        List<MessageResponse> messages;
        if (conversation is null)
        {
            var started = await starter.StartAsync(bot, contact, ConversationStarter.WidgetChannel, request.Metadata, userAgent, cancellationToken);
            conversationResponse = started.Conversation;
            messages = [.. started.Messages];
        }
        else
        {
            MetadataValidation.Apply(conversation, request.Metadata, userAgent);
            conversationResponse = ConversationResponse.From(conversation);
            var recent = await db.Messages.AsNoTracking().Where(m => m.ConversationId == conversation.Id)
                .OrderByDescending(m => m.Id).Take(TranscriptLength).ToListAsync(cancellationToken);
            messages = [.. recent.AsEnumerable().Reverse().Select(MessageResponse.From)];
        }

        var response = new WidgetSessionResponse(
            tokens.Issue(new WidgetSession(caller.WorkspaceId, bot.Id, contact.Id, caller.KeyId!)),
            Resumed: conversation is not null,
            conversationResponse,
            messages,
            WidgetBot.From(bot));
        await transcript.CommitAsync(StatusCodes.Status200OK, () => response, cancellationToken);
        return TypedResults.Ok(response);
    }
}

using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Flows;
using Parley.Engine.Responders;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Flows;

/// <summary>
/// Runs a flow that is not published (the draft, or a graph the builder sends) for its owner, one step per request,
/// without a conversation: nothing is stored, so a test run is not in conversations, analytics, usage, the event log
/// or webhooks. The caller keeps the state between steps.
/// </summary>
public sealed class FlowTestRuns(ParleyDbContext db, IResponder responder, IFlowHost host, TimeProvider time)
{
    public const string ConversationId = "conv_test_run";
    public const string ContactId = "cont_test_run";

    public async Task<FlowTestRunResponse> StepAsync(string botId, FlowTestRunRequest request, CancellationToken cancellationToken)
    {
        var bot = await db.Bots.AsNoTracking()
            .Where(b => b.Id == botId)
            .Select(b => new
            {
                b.Id, b.Name, b.Instructions, b.Greeting, b.FallbackText, b.BusinessHoursJson, b.FlowDraftJson,
                b.Model.Provider, ModelName = b.Model.Name, b.Model.Temperature, b.Model.MaxTokens, b.Model.FallbackProvider,
                HasKnowledge = db.KnowledgeSources.Any(k => k.BotId == b.Id),
            })
            .FirstOrDefaultAsync(cancellationToken) ?? throw ApiException.NotFound("bot", botId);
        var json = request.Flow is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } flow ? flow.GetRawText()
            : bot.FlowDraftJson ?? throw ApiException.Conflict("This bot has no draft flow to test; send one as `flow` or save one with PUT /v1/bots/{id}/flow.");
        if (json.Length > FlowEndpoints.MaxFlowLength)
        {
            throw ApiException.Invalid("flow", $"A flow document may be at most {FlowEndpoints.MaxFlowLength} characters of JSON.");
        }
        using (var document = JsonDocument.Parse(json))
        {
            FlowEndpoints.Validate(document.RootElement);
        }
        var graph = FlowGraph.Parse(json);
        var state = ReadState(request);
        var input = request.Choice ?? request.Text;
        if (state is not null && string.IsNullOrWhiteSpace(input))
        {
            throw ApiException.Invalid("text", "Send the visitor's `text` (or a quick reply's `choice`) with the state of the previous step.");
        }

        var model = new BotModelProfile(bot.Provider, bot.ModelName, bot.Temperature, bot.MaxTokens, bot.FallbackProvider);
        var profile = new BotProfile(bot.Id, bot.Name, bot.Instructions, bot.Greeting, bot.FallbackText, bot.HasKnowledge, model);
        var context = new FlowContext(profile, ConversationId, ContactId, time.GetUtcNow(), new Dictionary<string, string>(), null,
            new Dictionary<string, string>(), bot.BusinessHoursJson, []);
        var sandbox = new FlowTestRunHost(host);
        var runner = new FlowRunner(responder, sandbox);
        var outcome = state is null
            ? await runner.StartAsync(graph, context, cancellationToken)
            : await runner.ContinueAsync(graph, state, context, input!, cancellationToken);
        if (outcome.State.Finished)
        {
            sandbox.Notes.Add("The flow has ended: in a real conversation the bot's responder answers from here on.");
        }
        if (outcome.HandoffReason is { } reason)
        {
            sandbox.Notes.Add($"The conversation would be handed to a person (reason: {reason}).");
        }
        using var stateJson = JsonDocument.Parse(outcome.State.Serialize());
        return new FlowTestRunResponse(
            [.. outcome.Replies.Select(r => new FlowTestRunMessage(r.Text, [.. r.QuickReplies.Select(q => new QuickReplyResponse(q.Label, q.Value))]))],
            stateJson.RootElement.Clone(), outcome.State.Finished ? null : outcome.State.Node, outcome.State.Finished, outcome.HandoffReason, sandbox.Notes);
    }

    private static FlowState? ReadState(FlowTestRunRequest request)
    {
        if (request.State is not { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } state)
        {
            return null;
        }
        try
        {
            return state.ValueKind == JsonValueKind.Object ? FlowState.Deserialize(state.GetRawText()) : throw new JsonException();
        }
        catch (JsonException)
        {
            throw ApiException.Invalid("state", "`state` must be the `state` object answered by the previous step of this test run.");
        }
    }
}

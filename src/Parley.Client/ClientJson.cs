using System.Text.Json;
using System.Text.Json.Serialization;
using Parley.Client.Models;

namespace Parley.Client;

/// <summary>
/// The API's JSON: snake_case names and enums, generated at compile time so the client works trimmed (the dashboard
/// in WebAssembly) without reflection.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(SessionResponse))]
[JsonSerializable(typeof(SetupStatusResponse))]
[JsonSerializable(typeof(SetupRequest))]
[JsonSerializable(typeof(SignInRequest))]
[JsonSerializable(typeof(AcceptInvitationRequest))]
[JsonSerializable(typeof(PasswordResetRequest))]
[JsonSerializable(typeof(PasswordResetConfirmRequest))]
[JsonSerializable(typeof(PasswordResetLinkResponse))]
[JsonSerializable(typeof(TwoFactorStatusResponse))]
[JsonSerializable(typeof(AuthenticatorSetupResponse))]
[JsonSerializable(typeof(EnableTwoFactorRequest))]
[JsonSerializable(typeof(PasswordConfirmationRequest))]
[JsonSerializable(typeof(RecoveryCodesResponse))]
[JsonSerializable(typeof(UpdateUserRequest))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(Page<UserResponse>))]
[JsonSerializable(typeof(CreateInvitationRequest))]
[JsonSerializable(typeof(InvitationResponse))]
[JsonSerializable(typeof(Page<InvitationResponse>))]
[JsonSerializable(typeof(Page<AuditEntryResponse>))]
[JsonSerializable(typeof(WorkspaceResponse))]
[JsonSerializable(typeof(UpdateWorkspaceRequest))]
[JsonSerializable(typeof(CreateBotRequest))]
[JsonSerializable(typeof(UpdateBotRequest))]
[JsonSerializable(typeof(BotResponse))]
[JsonSerializable(typeof(Page<BotResponse>))]
[JsonSerializable(typeof(DeletedResponse))]
[JsonSerializable(typeof(CreateApiKeyRequest))]
[JsonSerializable(typeof(ApiKeyResponse))]
[JsonSerializable(typeof(Page<ApiKeyResponse>))]
[JsonSerializable(typeof(AddKnowledgeSourceRequest))]
[JsonSerializable(typeof(KnowledgeSourceResponse))]
[JsonSerializable(typeof(Page<KnowledgeSourceResponse>))]
[JsonSerializable(typeof(SearchKnowledgeRequest))]
[JsonSerializable(typeof(SearchKnowledgeResponse))]
[JsonSerializable(typeof(Page<JsonElement>))]
[JsonSerializable(typeof(FlowDraftResponse))]
[JsonSerializable(typeof(FlowVersionResponse))]
[JsonSerializable(typeof(FlowVersionList))]
[JsonSerializable(typeof(ConversationResponse))]
[JsonSerializable(typeof(ContactResponse))]
[JsonSerializable(typeof(Page<ConversationResponse>))]
[JsonSerializable(typeof(Page<MessageResponse>))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(Page<InboxItem>))]
[JsonSerializable(typeof(HandoffActionResponse))]
[JsonSerializable(typeof(ClaimRequest))]
[JsonSerializable(typeof(AssignRequest))]
[JsonSerializable(typeof(AgentMessageRequest))]
[JsonSerializable(typeof(PresenceRequest))]
[JsonSerializable(typeof(PresenceResponse))]
[JsonSerializable(typeof(CreateWebhookEndpointRequest))]
[JsonSerializable(typeof(UpdateWebhookEndpointRequest))]
[JsonSerializable(typeof(WebhookEndpointResponse))]
[JsonSerializable(typeof(Page<WebhookEndpointResponse>))]
[JsonSerializable(typeof(WebhookDeliveryResponse))]
[JsonSerializable(typeof(Page<WebhookDeliveryResponse>))]
[JsonSerializable(typeof(WebhookTestResponse))]
[JsonSerializable(typeof(IntegrationHealthResponse))]
internal sealed partial class ClientJson : JsonSerializerContext;

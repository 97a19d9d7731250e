namespace Parley.Server.Features.Imports.Platforms.Chatwoot;

/// <summary>
/// A pull from a Chatwoot account: <c>url</c>, the address Chatwoot is served on (<c>https://chatwoot.example</c>);
/// <c>account_id</c>, the number in Chatwoot's addresses (<c>/app/accounts/1/…</c>); <c>access_token</c>, the access
/// token of a user of that account (used for this request only, never stored); <c>bot</c>, <c>new</c> (the default)
/// or the id of the bot the conversations go to; <c>inbox_id</c>, to take only one inbox's conversations.
/// </summary>
public sealed record ChatwootImportRequest(string? Url = null, long? AccountId = null, string? AccessToken = null, string? Bot = null, long? InboxId = null);

namespace Parley.Engine.Responders;

/// <summary>
/// What a model reply cost: tokens sent (<see cref="PromptTokens"/>) and received (<see cref="CompletionTokens"/>), as the
/// provider reported them (or as counted locally when it did not), and which provider connection and model answered.
/// </summary>
public sealed record TokenUsage(int PromptTokens, int CompletionTokens, string Provider, string Model);

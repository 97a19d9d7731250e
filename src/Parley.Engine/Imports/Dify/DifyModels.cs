using System.Globalization;
using System.Text.Json.Nodes;

namespace Parley.Engine.Imports.Dify;

/// <summary>
/// The models a Dify app names (<c>model_config.model</c>, or the <c>model</c> of an LLM, question-classifier or
/// parameter-extractor node: <c>provider</c>, <c>name</c>, <c>completion_params</c>), and how Parley reaches each of
/// Dify's providers: OpenAI and Anthropic directly, the OpenAI-compatible hosted services at their public endpoints, and the self-hosted servers Dify speaks to
/// (Ollama, LocalAI, Xinference, vLLM, any OpenAI-compatible API) as OpenAI-compatible endpoints whose base URL the
/// export does not hold.
/// </summary>
internal static class DifyModels
{
    private const int MaxModelName = 200;
    private const int MaxProviderName = 100;

    private sealed record Known(string Kind, string Title, string? BaseUrl = null, bool SelfHosted = false);

    private static readonly Dictionary<string, Known> Providers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = new("openai", "OpenAI"),
        ["anthropic"] = new("anthropic", "Anthropic"),
        ["deepseek"] = new("openai", "DeepSeek", "https://api.deepseek.com/v1"),
        ["groq"] = new("openai", "Groq", "https://api.groq.com/openai/v1"),
        ["openrouter"] = new("openai", "OpenRouter", "https://openrouter.ai/api/v1"),
        ["togetherai"] = new("openai", "Together AI", "https://api.together.xyz/v1"),
        ["ollama"] = new("openai", "Ollama", SelfHosted: true),
        ["openai_api_compatible"] = new("openai", "OpenAI-compatible API", SelfHosted: true),
        ["localai"] = new("openai", "LocalAI", SelfHosted: true),
        ["xinference"] = new("openai", "Xinference", SelfHosted: true),
        ["vllm"] = new("openai", "vLLM", SelfHosted: true),
    };

    /// <summary>
    /// The model named in <paramref name="model"/>, or null when it names none; <paramref name="answers"/> is false for a
    /// node whose model sorted or read the question rather than answered it.
    /// </summary>
    public static ImportedModel? Read(string group, string blockId, JsonObject? model, bool answers = true)
    {
        if (ImportJson.Text(model, "name") is not { Length: > 0 } name)
        {
            return null;
        }
        var provider = ImportJson.Text(model, "provider") ?? "";
        // Dify 1.x writes plugin providers as "langgenius/openai/openai"; the last part is the provider's name.
        var known = Providers.GetValueOrDefault(provider.Split('/')[^1]);
        name = ImportJson.Clip(name.Trim(), MaxModelName);
        var parameters = ImportJson.Object(model, "completion_params");
        return new ImportedModel(group, blockId, provider, name)
        {
            Connection = known is null
                ? null
                : new ImportedModelConnection(known.Kind, known.BaseUrl, known.SelfHosted, ImportJson.Clip($"{known.Title} {name} (from Dify)", MaxProviderName)),
            Answers = answers,
            Temperature = Parse(parameters, "temperature"),
            MaxTokens = Parse(parameters, "max_tokens") is { } tokens && tokens is >= 1 and <= int.MaxValue ? (int)tokens : null,
        };
    }

    private static double? Parse(JsonObject? parameters, string name) =>
        double.TryParse(ImportJson.Text(parameters, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : null;
}

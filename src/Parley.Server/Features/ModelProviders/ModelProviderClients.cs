using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Anthropic;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using OpenAI;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Outbound;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Parley.Server.Features.ModelProviders;

/// <summary>
/// One HTTP client per model provider connection, each behind its own resilience pipeline (Polly, through
/// <see cref="ResilienceHandler"/>): a timeout per attempt, one retry of a transient failure (429, 5xx, timeouts; a
/// <c>Retry-After</c> up to <see cref="ModelOptions.MaxRetryAfter"/> is honoured), and a circuit breaker, so a failing
/// provider stops being called for a while without touching the others. The SDKs' own retries are off. A connection
/// changed through the API gets a fresh client (and a closed circuit).
/// </summary>
public sealed class ModelProviderClients(
    IOptionsMonitor<NetworkOptions> network, IOptions<ModelOptions> options, ModelProviderSecrets secrets, TimeProvider time) : IDisposable
{
    private sealed record Connection(DateTimeOffset Version, HttpClient Http, CircuitBreakerStateProvider Circuit);

    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);

    /// <summary>A chat client for <paramref name="model"/> on <paramref name="provider"/>.</summary>
    public IChatClient ChatClient(ModelProvider provider, string model, int maxTokens)
    {
        var http = HttpFor(provider);
        var apiKey = provider.ApiKeyProtected is { } key ? secrets.Unprotect(key) : null;
        if (provider.Kind == ModelProvider.Anthropic)
        {
            var anthropic = new AnthropicClient
            {
                ApiKey = apiKey ?? "none",
                HttpClient = http,
                MaxRetries = 0,
                Timeout = options.Value.CallTimeout,
            };
            if (provider.BaseUrl is { } baseUrl)
            {
                anthropic = (AnthropicClient)anthropic.WithOptions(o => o with { BaseUrl = baseUrl });
            }
            return anthropic.AsIChatClient(model, maxTokens);
        }
        var openAiOptions = new OpenAIClientOptions
        {
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = options.Value.CallTimeout,
        };
        if (provider.BaseUrl is { } endpoint)
        {
            openAiOptions.Endpoint = new Uri(endpoint);
        }
        // Local servers (Ollama, llama.cpp) take any key; the SDK insists on one.
        return new OpenAIClient(new ApiKeyCredential(apiKey ?? "none"), openAiOptions).GetChatClient(model).AsIChatClient();
    }

    private HttpClient HttpFor(ModelProvider provider)
    {
        while (true)
        {
            if (_connections.TryGetValue(provider.Id, out var current) && current.Version == provider.UpdatedAt)
            {
                return current.Http;
            }
            var circuit = new CircuitBreakerStateProvider();
            var fresh = new Connection(provider.UpdatedAt, CreateHttpClient(circuit), circuit);
            if (current is null ? _connections.TryAdd(provider.Id, fresh) : _connections.TryUpdate(provider.Id, fresh, current))
            {
                // Requests still running on the old client finish on it; it is left to the collector.
                return fresh.Http;
            }
            fresh.Http.Dispose();
        }
    }

    /// <summary>
    /// How many provider connections this node holds, and how many of their circuit breakers are open or half-open:
    /// counts only, for the public status page.
    /// </summary>
    public (int Connections, int Open, int HalfOpen) CircuitStates()
    {
        var states = _connections.Values.Select(c => c.Circuit.CircuitState).ToList();
        return (states.Count,
            states.Count(s => s is CircuitState.Open or CircuitState.Isolated),
            states.Count(s => s == CircuitState.HalfOpen));
    }

    private HttpClient CreateHttpClient(CircuitBreakerStateProvider circuit)
    {
        var pipeline = CreatePipeline(options.Value, time, circuit);
        var handler = new ResilienceHandler(pipeline) { InnerHandler = OutboundHttp.CreateHandler(network) };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    internal static ResiliencePipeline<HttpResponseMessage> CreatePipeline(ModelOptions o, TimeProvider time, CircuitBreakerStateProvider? circuit = null) =>
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 1,
                Delay = o.RetryDelay,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(
                    HttpClientResiliencePredicates.IsTransient(args.Outcome)
                    && args.Outcome.Exception is not (BrokenCircuitException or OutboundRefusedException)
                    && !(RetryAfter(args.Outcome.Result, time) > o.MaxRetryAfter)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, time)),
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = o.BreakerFailureRatio,
                MinimumThroughput = o.BreakerMinimumThroughput,
                SamplingDuration = o.BreakerSamplingDuration,
                BreakDuration = o.BreakDuration,
                StateProvider = circuit,
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = o.AttemptTimeout })
            .Build();

    /// <summary>The wait a 429 or 503 asks for in <c>Retry-After</c> (seconds or a date), if any.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider time)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }
        if (retryAfter.Delta is { } delta)
        {
            return delta;
        }
        return retryAfter.Date is { } date ? TimeSpan.FromTicks(Math.Max(0, (date - time.GetUtcNow()).Ticks)) : null;
    }

    public void Dispose()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Http.Dispose();
        }
    }
}

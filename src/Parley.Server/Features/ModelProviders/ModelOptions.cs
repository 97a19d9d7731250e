using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Features.ModelProviders;

/// <summary>How model calls are bounded and retried (<c>Parley:Models</c>).</summary>
public sealed class ModelOptions
{
    public const string Section = "Parley:Models";

    /// <summary>The most one HTTP attempt may take before the response headers arrive.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>While streaming, the longest silence between two pieces before the reply counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The most a whole call to one provider may take, the retry and reading the reply included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:30:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>The wait before the one retry of a transient failure, when the provider does not say (<c>Retry-After</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest <c>Retry-After</c> honoured by waiting; a provider asking for more is not retried.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Calls seen in <see cref="BreakerSamplingDuration"/> before the circuit breaker may open.</summary>
    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 5;

    /// <summary>The share of failed calls (0–1) that opens a provider's circuit.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit refuses calls to its provider before trying again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The <c>Retry-After</c> sent with a 503 when no provider said when to come back.</summary>
    [Range(1, 3600)]
    public int UnavailableRetryAfterSeconds { get; set; } = 30;

    /// <summary>The tokens a prompt may use: instructions, passages, history and the message. The oldest history goes first.</summary>
    [Range(256, 1_000_000)]
    public int PromptTokenBudget { get; set; } = 6000;

    /// <summary>How many knowledge passages a model sees.</summary>
    [Range(0, 20)]
    public int Passages { get; set; } = 4;

    /// <summary>How often the tally of answered and failed calls per provider, for the integration map, is written to the database.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan CallTallyFlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The reply length asked of a model when the bot sets no <c>max_tokens</c> (Anthropic requires one).</summary>
    [Range(1, 32_000)]
    public int DefaultMaxTokens { get; set; } = 1024;
}

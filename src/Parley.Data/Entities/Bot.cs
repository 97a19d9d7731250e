namespace Parley.Data.Entities;

public sealed class Bot : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Name { get; set; }
    public string? Instructions { get; set; }
    public string? Greeting { get; set; }
    public required string FallbackText { get; set; }
    public BotModelSettings Model { get; set; } = new();
    public BotTheme Theme { get; set; } = new();

    /// <summary>Guardrail settings as a JSON object, stored as given.</summary>
    public string? GuardrailsJson { get; set; }

    /// <summary>Escalation settings as a JSON object, stored as given.</summary>
    public string? EscalationJson { get; set; }

    /// <summary>Business hours as a JSON object, stored as given.</summary>
    public string? BusinessHoursJson { get; set; }

    /// <summary>Booking settings as a validated JSON object, or null when the bot takes no bookings.</summary>
    public string? BookingJson { get; set; }
    /// <summary>The flow being edited (a flow document as JSON), or null.</summary>
    public string? FlowDraftJson { get; set; }

    /// <summary>Who last saved the draft through the flow API (<c>usr_…</c> or <c>key_…</c>), or null.</summary>
    public string? FlowDraftUpdatedBy { get; set; }

    /// <summary>When the draft was last saved through the flow API, or null.</summary>
    public DateTimeOffset? FlowDraftUpdatedAt { get; set; }

    /// <summary>Every published flow version, oldest first; the last one is live. Versions are never changed.</summary>
    public List<FlowVersion> FlowVersions { get; set; } = [];

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
}

public sealed class BotModelSettings
{
    public string Provider { get; set; } = "builtin";
    public string? Name { get; set; }
    public double? Temperature { get; set; }
    public int? MaxTokens { get; set; }

    /// <summary>The model provider connection tried when <see cref="Provider"/> fails; null for none.</summary>
    public string? FallbackProvider { get; set; }
}

public sealed class BotTheme
{
    public string? PrimaryColor { get; set; }
    public string? Position { get; set; }
    public string? LauncherText { get; set; }
    public string? AvatarUrl { get; set; }
    public string? Title { get; set; }
}

/// <summary>An immutable published version of a bot's flow.</summary>
public sealed class FlowVersion
{
    public int Number { get; set; }

    /// <summary>The flow document as JSON, as it was validated at publishing.</summary>
    public string Graph { get; set; } = "";

    public DateTimeOffset PublishedAt { get; set; }
}

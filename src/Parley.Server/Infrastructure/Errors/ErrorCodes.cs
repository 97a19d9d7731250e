namespace Parley.Server.Infrastructure.Errors;

/// <summary>The stable machine codes of problem responses (the <c>code</c> member).</summary>
public static class ErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string MissingApiKey = "missing_api_key";
    public const string InvalidApiKey = "invalid_api_key";
    public const string Forbidden = "forbidden";
    public const string OriginNotAllowed = "origin_not_allowed";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string Conflict = "conflict";
    /// <summary>An <c>If-Match</c> that no longer names the current version: someone else saved first (412).</summary>
    public const string PreconditionFailed = "precondition_failed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>An import archive that is not a valid export (422).</summary>
    public const string InvalidArchive = "invalid_archive";

    /// <summary>A file from another platform (a Typebot export, say) that cannot be imported (422).</summary>
    public const string InvalidImportFile = "invalid_import_file";
    /// <summary>The platform an import pulls from (Chatwoot) refused the credentials or the account given (422).</summary>
    public const string ImportSourceRefused = "import_source_refused";

    /// <summary>The platform an import pulls from could not be reached or did not answer as its API does (502).</summary>
    public const string ImportSourceUnavailable = "import_source_unavailable";

    /// <summary>A change a resource's state does not allow, such as a lead status out of the pipeline's order (422).</summary>
    public const string InvalidStateTransition = "invalid_state_transition";

    /// <summary>A flow document that cannot run (422), with its errors by block id.</summary>
    public const string InvalidFlow = "invalid_flow";

    /// <summary>An assignment to a key that cannot answer conversations: revoked, publishable, or without the agent scope (422).</summary>
    public const string InvalidAssignee = "invalid_assignee";
    /// <summary>A conversation taken by (or assigned to) an agent who already holds the workspace's capacity of open ones (409).</summary>
    public const string AtCapacity = "at_capacity";

    /// <summary>A dashboard session cookie that is no longer valid (401).</summary>
    public const string InvalidSession = "invalid_session";

    /// <summary>A change made with the session cookie without the session's anti-forgery token, or from another origin (403).</summary>
    public const string CsrfRejected = "csrf_rejected";

    /// <summary>A wrong email or password at sign-in (401).</summary>
    public const string InvalidCredentials = "invalid_credentials";

    /// <summary>Too many wrong passwords in a row: the account is locked for a while (429, with Retry-After).</summary>
    public const string AccountLocked = "account_locked";

    /// <summary>The password was right, but the account has two-factor sign-in on: send the authenticator code too (401).</summary>
    public const string TwoFactorRequired = "two_factor_required";

    /// <summary>A wrong or expired authenticator code or recovery code at sign-in (401).</summary>
    public const string InvalidTwoFactorCode = "invalid_two_factor_code";
    public const string RateLimited = "rate_limited";
    public const string QuotaExceeded = "quota_exceeded";
    public const string ProviderUnavailable = "provider_unavailable";
    public const string InternalError = "internal_error";

    /// <summary>The database (PostgreSQL) cannot be reached; nothing was stored (503, with Retry-After).</summary>
    public const string DatabaseUnavailable = "database_unavailable";

    /// <summary>The node is stopping and took nothing of the request; another node will (503, with Retry-After).</summary>
    public const string NodeStopping = "node_stopping";

    /// <summary>The code for a status when nothing more specific was said.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => InvalidRequest,
        401 => MissingApiKey,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        412 => PreconditionFailed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => ProviderUnavailable,
        _ => status >= 500 ? InternalError : InvalidRequest,
    };

    public static string TitleFor(string code) => code switch
    {
        InvalidRequest => "The request is not valid",
        MissingApiKey => "An API key is required",
        InvalidApiKey => "The API key is not valid",
        Forbidden => "Not allowed",
        OriginNotAllowed => "Origin not allowed",
        NotFound => "Not found",
        MethodNotAllowed => "Method not allowed",
        Conflict => "Conflict",
        PreconditionFailed => "Changed by someone else",
        PayloadTooLarge => "Payload too large",
        UnsupportedMediaType => "Unsupported media type",
        InvalidArchive => "The archive is not valid",
        InvalidImportFile => "The file cannot be imported",
        ImportSourceRefused => "The other platform refused the import",
        ImportSourceUnavailable => "The other platform could not be read",
        InvalidStateTransition => "Invalid state transition",
        InvalidFlow => "The flow is not valid",
        InvalidSession => "The session has ended",
        CsrfRejected => "Cross-site request refused",
        InvalidCredentials => "Wrong email or password",
        AccountLocked => "Account locked",
        TwoFactorRequired => "Two-factor code required",
        InvalidTwoFactorCode => "Wrong two-factor code",
        RateLimited => "Too many requests",
        QuotaExceeded => "Quota exceeded",
        ProviderUnavailable => "Service unavailable",
        DatabaseUnavailable => "Database unavailable",
        NodeStopping => "Node stopping",
        _ => "Internal error",
    };
}

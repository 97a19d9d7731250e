namespace Parley.Engine.Turns;

/// <summary>Why a turn could not go on, in the terms of the API's stable error codes.</summary>
public enum TurnRejection
{
    InvalidRequest,
    NotFound,
    Forbidden,
    Conflict,
}

/// <summary>A stage refused the turn; nothing of it is stored.</summary>
public sealed class TurnRejectedException : Exception
{
    public TurnRejectedException(TurnRejection rejection, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
        : base(detail)
    {
        Rejection = rejection;
        Errors = errors;
    }

    public TurnRejection Rejection { get; }

    /// <summary>Field name to messages, for <see cref="TurnRejection.InvalidRequest"/>.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; }
}

namespace Parley.Server.Infrastructure.Persistence;

/// <summary>
/// PII encryption keys, bound from <c>Parley:Encryption</c>. Without <see cref="Key"/>, a data key is generated once,
/// stored in the database wrapped by ASP.NET Data Protection, and used from then on.
/// </summary>
public sealed class EncryptionOptions
{
    public const string Section = "Parley:Encryption";

    /// <summary>A 256-bit key, base64: encrypts new values and keys the email blind index.</summary>
    public string? Key { get; set; }

    /// <summary>Keys used before <see cref="Key"/>, base64: still decrypt, and the start-up pass re-encrypts their values under <see cref="Key"/>.</summary>
    public List<string> PreviousKeys { get; set; } = [];
}

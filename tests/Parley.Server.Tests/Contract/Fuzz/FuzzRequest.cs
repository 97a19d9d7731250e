using System.Text;

namespace Parley.Server.Tests.Contract.Fuzz;

/// <summary>Who a fuzz request claims to be.</summary>
internal enum Credential
{
    Owner, None, EmptyBearer, BasicScheme, Garbage, UnknownSecretKey, RevokedKey, ReadOnlyKey, OtherWorkspaceKey,
    Publishable, PublishableWithoutOrigin, PublishableWrongOrigin, SessionToken, ForgedSessionToken,
}

/// <summary>A path parameter: a fixed value, or a fresh resource of this workspace made just before the request (for deletes).</summary>
internal sealed record PathValue(string? Literal, ResourceKind? Fresh = null)
{
    public override string ToString() => Literal is null ? $"<fresh {Fresh}>" : Literal;
}

/// <summary>A request body: bytes as sent, the Content-Type (null for none), and what kind of bad input it is.</summary>
internal sealed record FuzzBody(byte[] Bytes, string? ContentType, string Shape)
{
    public static FuzzBody Json(string json, string shape) => new(Encoding.UTF8.GetBytes(json), "application/json", shape);

    public string Preview()
    {
        var text = Encoding.UTF8.GetString(Bytes);
        return text.Length <= 300 ? text : $"{text[..300]}… ({Bytes.Length} bytes)";
    }
}

/// <summary>One generated request against one operation of the contract.</summary>
internal sealed record FuzzRequest(
    ContractOperation Operation,
    Credential Credential,
    IReadOnlyList<KeyValuePair<string, PathValue>> PathValues,
    IReadOnlyList<KeyValuePair<string, string>> Query,
    FuzzBody? Body,
    string? IdempotencyKey)
{
    public string Describe(string path) =>
        $"{Operation.Method.ToUpperInvariant()} {Shorten(path + QueryString(), 300)} as {Credential}"
        + (Body is null ? "" : $" with {Body.Shape} body ({Body.ContentType ?? "no Content-Type"}): {Body.Preview()}")
        + (IdempotencyKey is null ? "" : $" Idempotency-Key: {(IdempotencyKey.Length > 40 ? IdempotencyKey[..40] + "…" : IdempotencyKey)}");

    private static string Shorten(string text, int length) => text.Length <= length ? text : $"{text[..length]}… ({text.Length} characters)";

    public string QueryString() =>
        Query.Count == 0 ? "" : "?" + string.Join("&", Query.Select(q => $"{Escape(q.Key)}={Escape(q.Value)}"));

    /// <summary>Percent-encodes a path segment or query part; lone surrogates (which have no UTF-8) become U+FFFD.</summary>
    public static string Escape(string value) =>
        Uri.EscapeDataString(new string([.. value.Select((c, i) => char.IsSurrogate(c) && !IsPaired(value, i) ? '\uFFFD' : c)]));

    private static bool IsPaired(string s, int i) =>
        char.IsHighSurrogate(s[i]) ? i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) : i > 0 && char.IsHighSurrogate(s[i - 1]);
}

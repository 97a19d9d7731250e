namespace Parley.Server.Infrastructure.Errors;

internal static class JsonPaths
{
    /// <summary>Turns a JSON path from the serializer (<c>$.model.temperature</c>) into a field name (<c>model.temperature</c>).</summary>
    public static string ToField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }
}

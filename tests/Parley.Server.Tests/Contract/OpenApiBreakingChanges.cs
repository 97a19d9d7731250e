using System.Text.Json.Nodes;

namespace Parley.Server.Tests.Contract;

/// <summary>
/// Compares two OpenAPI documents and lists the changes that would break an existing client: a removed path,
/// operation or parameter; a new required parameter or request field; a removed response field; a changed type.
/// Additions (new paths, optional fields, response fields) are not breaking.
/// </summary>
public static class OpenApiBreakingChanges
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    public static IReadOnlyList<string> Find(JsonNode baseline, JsonNode current)
    {
        var changes = new List<string>();
        var basePaths = baseline["paths"]?.AsObject() ?? [];
        var currentPaths = current["paths"]?.AsObject() ?? [];
        foreach (var (path, baseItem) in basePaths)
        {
            if (currentPaths[path] is not { } currentItem)
            {
                changes.Add($"removed path {path}");
                continue;
            }
            foreach (var method in Methods)
            {
                if (baseItem?[method] is not { } baseOperation)
                {
                    continue;
                }
                var name = $"{method.ToUpperInvariant()} {path}";
                if (currentItem[method] is not { } currentOperation)
                {
                    changes.Add($"removed operation {name}");
                    continue;
                }
                CompareParameters(name, baseOperation, currentOperation, changes);
                var baseRequest = Resolve(baseline, baseOperation["requestBody"]?["content"]?["application/json"]?["schema"]);
                var currentRequest = Resolve(current, currentOperation["requestBody"]?["content"]?["application/json"]?["schema"]);
                if (baseRequest is not null && currentRequest is not null)
                {
                    CompareRequest($"{name} request", baseline, baseRequest, current, currentRequest, changes, []);
                }
                else if (baseRequest is null && currentRequest is not null && currentOperation["requestBody"]?["required"]?.GetValue<bool>() == true)
                {
                    changes.Add($"{name}: a request body is now required");
                }
                foreach (var (status, baseResponse) in baseOperation["responses"]?.AsObject() ?? [])
                {
                    if (!status.StartsWith('2'))
                    {
                        continue;
                    }
                    var currentResponse = currentOperation["responses"]?[status];
                    if (currentResponse is null)
                    {
                        changes.Add($"{name}: response {status} removed");
                        continue;
                    }
                    var baseSchema = Resolve(baseline, baseResponse?["content"]?["application/json"]?["schema"]);
                    var currentSchema = Resolve(current, currentResponse["content"]?["application/json"]?["schema"]);
                    if (baseSchema is not null)
                    {
                        CompareResponse($"{name} {status}", baseline, baseSchema, current, currentSchema, changes, []);
                    }
                }
            }
        }
        return changes;
    }

    private static void CompareParameters(string name, JsonNode baseOperation, JsonNode currentOperation, List<string> changes)
    {
        var baseParameters = (baseOperation["parameters"]?.AsArray() ?? []).Select(p => $"{p!["in"]}:{p["name"]}").ToHashSet();
        foreach (var parameter in currentOperation["parameters"]?.AsArray() ?? [])
        {
            var key = $"{parameter!["in"]}:{parameter["name"]}";
            if (!baseParameters.Remove(key) && parameter["required"]?.GetValue<bool>() == true)
            {
                changes.Add($"{name}: new required parameter {parameter["name"]}");
            }
        }
        changes.AddRange(baseParameters.Select(p => $"{name}: parameter {p.Split(':')[1]} removed"));
    }

    private static void CompareRequest(string where, JsonNode baseDoc, JsonNode baseSchema, JsonNode currentDoc, JsonNode currentSchema,
        List<string> changes, HashSet<string> seen)
    {
        if (!seen.Add(where))
        {
            return;
        }
        var baseRequired = Required(baseSchema);
        foreach (var field in Required(currentSchema).Except(baseRequired))
        {
            changes.Add($"{where}: new required field {field}");
        }
        foreach (var (field, baseProperty) in baseSchema["properties"]?.AsObject() ?? [])
        {
            if (currentSchema["properties"]?[field] is not { } currentProperty)
            {
                continue; // the server ignores fields it no longer reads
            }
            CompareTypes($"{where}.{field}", baseDoc, baseProperty!, currentDoc, currentProperty, changes, seen, request: true);
        }
    }

    private static void CompareResponse(string where, JsonNode baseDoc, JsonNode baseSchema, JsonNode currentDoc, JsonNode? currentSchema,
        List<string> changes, HashSet<string> seen)
    {
        if (!seen.Add(where))
        {
            return;
        }
        if (currentSchema is null)
        {
            changes.Add($"{where}: body removed");
            return;
        }
        foreach (var (field, baseProperty) in baseSchema["properties"]?.AsObject() ?? [])
        {
            if (currentSchema["properties"]?[field] is not { } currentProperty)
            {
                changes.Add($"{where}: removed field {field}");
                continue;
            }
            CompareTypes($"{where}.{field}", baseDoc, baseProperty!, currentDoc, currentProperty, changes, seen, request: false);
        }
        if (baseSchema["items"] is { } baseItems && currentSchema["items"] is { } currentItems)
        {
            CompareTypes($"{where}[]", baseDoc, baseItems, currentDoc, currentItems, changes, seen, request: false);
        }
    }

    private static void CompareTypes(string where, JsonNode baseDoc, JsonNode baseProperty, JsonNode currentDoc, JsonNode currentProperty,
        List<string> changes, HashSet<string> seen, bool request)
    {
        var baseResolved = Resolve(baseDoc, baseProperty)!;
        var currentResolved = Resolve(currentDoc, currentProperty)!;
        var (baseType, currentType) = (TypeOf(baseResolved), TypeOf(currentResolved));
        if (baseType != currentType)
        {
            changes.Add($"{where}: type changed from {baseType} to {currentType}");
            return;
        }
        if (baseType is "object" or "array")
        {
            if (request)
            {
                CompareRequest(where, baseDoc, baseResolved, currentDoc, currentResolved, changes, seen);
            }
            else
            {
                CompareResponse(where, baseDoc, baseResolved, currentDoc, currentResolved, changes, seen);
            }
        }
    }

    /// <summary>Follows a $ref (also through a nullable oneOf wrapper) to the schema it names.</summary>
    private static JsonNode? Resolve(JsonNode document, JsonNode? schema)
    {
        for (var depth = 0; schema is not null && depth < 10; depth++)
        {
            if (schema["$ref"] is { } reference)
            {
                var name = ((string)reference!).Split('/').Last();
                schema = document["components"]?["schemas"]?[name];
                continue;
            }
            if (schema["oneOf"]?.AsArray() is { } options && options.Where(o => (string?)o?["type"] != "null").ToList() is [var only])
            {
                schema = only;
                continue;
            }
            return schema;
        }
        return schema;
    }

    private static string TypeOf(JsonNode schema)
    {
        if (schema["enum"] is not null && schema["type"] is null)
        {
            return "string";
        }
        var type = schema["type"];
        var names = type is JsonArray array ? array.Select(t => (string)t!).ToList() : type is null ? [] : [(string)type!];
        names.Remove("null");
        if (names.Count == 0)
        {
            return schema["properties"] is not null ? "object" : schema["items"] is not null ? "array" : "any";
        }
        return string.Join("|", names.Order(StringComparer.Ordinal));
    }

    private static HashSet<string> Required(JsonNode schema) =>
        (schema["required"]?.AsArray() ?? []).Select(r => (string)r!).ToHashSet();
}

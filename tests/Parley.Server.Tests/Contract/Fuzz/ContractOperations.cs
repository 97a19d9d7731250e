using System.Text.Json.Nodes;

namespace Parley.Server.Tests.Contract.Fuzz;

/// <summary>A parameter of an operation as the contract declares it (in the path or the query).</summary>
internal sealed record ContractParameter(string Name, string In, JsonNode? Schema);

/// <summary>One operation of <c>openapi/v1.json</c>: what the fuzz suite needs to build requests and judge responses.</summary>
internal sealed record ContractOperation(
    string Method, string Path, IReadOnlyList<ContractParameter> Parameters, JsonNode? JsonBody, IReadOnlySet<int> Statuses)
{
    public string Name => $"{Method.ToUpperInvariant()} {Path}";

    public IEnumerable<ContractParameter> In(string location) => Parameters.Where(p => p.In == location);

    /// <summary>2xx, or a 4xx this operation documents; never a 5xx, even a documented one.</summary>
    public bool Allows(int status) => status is >= 200 and < 300 || (status is >= 400 and < 500 && Statuses.Contains(status));
}

/// <summary>Reads the operations of the contract, with <c>$ref</c>s resolved against the document.</summary>
internal sealed class ContractOperations(JsonNode document)
{
    public static ContractOperations Load() =>
        new(JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("openapi/v1.json")))!);

    public JsonNode Document => document;

    public IReadOnlyList<ContractOperation> All() =>
        [.. document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => Read(path.Key, op.Key, op.Value!)))];

    /// <summary>The schema a <c>$ref</c> points to, or the schema itself.</summary>
    public JsonNode? Resolve(JsonNode? schema)
    {
        for (var depth = 0; depth < 16 && schema?["$ref"] is JsonValue reference; depth++)
        {
            schema = ((string)reference!).TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries)
                .Aggregate((JsonNode?)document, (node, part) => node?[part]);
        }
        return schema;
    }

    private ContractOperation Read(string path, string method, JsonNode operation)
    {
        var parameters = (operation["parameters"]?.AsArray() ?? [])
            .Select(p => Resolve(p)!)
            .Select(p => new ContractParameter((string)p["name"]!, (string)p["in"]!, Resolve(p["schema"])))
            .ToList();
        var body = operation["requestBody"]?["content"]?["application/json"]?["schema"];
        var statuses = operation["responses"]!.AsObject().Select(r => int.TryParse(r.Key, out var s) ? s : 0).Where(s => s > 0).ToHashSet();
        return new ContractOperation(method, path, parameters, body, statuses);
    }
}

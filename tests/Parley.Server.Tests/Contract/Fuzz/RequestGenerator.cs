using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Tests.Contract.Fuzz;

/// <summary>
/// CsCheck generators of bad requests for one operation of the contract, built from its parameters and request schema:
/// credentials, path ids (this workspace's, another's, missing, malformed), query values, and bodies that are broken
/// JSON, the wrong type, too large, or objects from the schema with hostile values, wrong types and unknown fields.
/// </summary>
internal sealed class RequestGenerator(ContractOperations contract, FuzzWorld world)
{
    private const int MaxDepth = 3;
    private static readonly string[] ExportEntities = ["conversations", "messages", "leads", "bookings", "events", "bots", "contacts", "webhook_deliveries", "usage_counters", "analytics_daily", "nothing"];
    private static readonly string[] ExportFormats = ["ndjson", "csv", "json", "xml", ""];

    public Gen<FuzzRequest> For(ContractOperation operation) =>
        from credential in CredentialFor(operation)
        from path in Members(operation.In("path").Select(p => PathFor(operation, p).Select(v => Pair(p.Name, v))))
        from query in QueryFor(operation)
        from body in BodyFor(operation)
        from idempotencyKey in HostileValues.Weighted<string?>((12, Gen.Const(default(string))), (1, Gen.OneOf<string?>(new string('k', 256), "ключ 🔑", "a b", "", "x")))
        select new FuzzRequest(operation, credential, path, query, body, idempotencyKey);

    private static KeyValuePair<string, T> Pair<T>(string key, T value) => new(key, value);

    private static Gen<Credential> CredentialFor(ContractOperation operation)
    {
        var others = Enum.GetValues<Credential>().Where(c => c is not Credential.Owner and not Credential.Publishable).Select(c => (1, Gen.Const(c)));
        var usual = operation.Path.StartsWith("/v1/widget/", StringComparison.Ordinal) ? Credential.Publishable : Credential.Owner;
        return HostileValues.Weighted([(20, Gen.Const(usual)), .. others]);
    }

    private Gen<PathValue> PathFor(ContractOperation operation, ContractParameter parameter)
    {
        // A NUL in a path is refused by the HTTP server before the app sees it (and the in-memory test server throws on it);
        // an empty segment is another route.
        var hostile = HostileValues.String("x").Select(s => new PathValue(s.Length == 0 ? " " : s.Replace('\0', '0')));
        if (parameter.Name == "entity")
        {
            return HostileValues.Weighted((6, Gen.OneOf(ExportEntities).Select(e => new PathValue(e))), (1, hostile));
        }
        if (parameter.Name == "format")
        {
            return HostileValues.Weighted((6, Gen.OneOf(ExportFormats).Select(f => new PathValue(f))), (1, hostile));
        }
        if (FuzzWorld.KindOf(operation.Path, parameter.Name) is not { } kind)
        {
            return hostile;
        }
        if (kind == ResourceKind.FlowVersion)
        {
            return HostileValues.Weighted((4, Gen.Const(new PathValue("1"))), (2, Gen.OneOf(HostileValues.Integers).Select(i => new PathValue(i))), (1, hostile));
        }
        var own = world.Own[kind];
        var prefix = own[..(own.IndexOf('_', StringComparison.Ordinal) + 1)];
        var deletes = operation.Method == "delete";
        var wrongKind = world.Own.Values.Where(v => v != own && !v.All(char.IsDigit)).ToArray();
        return HostileValues.Weighted(
            (8, Gen.Const(deletes ? new PathValue(null, kind) : new PathValue(own))),
            (2, Gen.Const(new PathValue(world.Other[kind]))),
            (1, Gen.Const(new PathValue(prefix + new string('0', own.Length - prefix.Length)))),
            (1, Gen.Const(new PathValue(own.ToUpperInvariant()))),
            (1, Gen.OneOf(wrongKind).Select(v => new PathValue(v))),
            (2, hostile));
    }

    private Gen<ImmutableList<KeyValuePair<string, string>>> QueryFor(ContractOperation operation)
    {
        var declared = operation.In("query").Select(p => Optional(QueryValue(p).Select(v => Pair(p.Name, v)), present: 1, absent: 1));
        var unknown = Optional(HostileValues.String("1").Select(v => Pair("unknown_parameter", v)), present: 1, absent: 8);
        var duplicate = operation.In("query").FirstOrDefault() is { } first
            ? Optional(QueryValue(first).Select(v => Pair(first.Name, v)), present: 1, absent: 8)
            : Gen.Const(default(KeyValuePair<string, string>?));
        return Members([.. declared, unknown, duplicate]);
    }

    private Gen<string> QueryValue(ContractParameter parameter)
    {
        var schema = contract.Resolve(parameter.Schema);
        var types = Types(schema);
        if (types.Contains("integer") || types.Contains("number"))
        {
            return HostileValues.Weighted((4, Gen.OneOf(HostileValues.Integers)), (1, HostileValues.String()));
        }
        if (types.Contains("boolean"))
        {
            return Gen.OneOf("true", "false", "1", "0", "yes", "TRUE", "", "null");
        }
        if ((string?)schema?["format"] == "date-time" || IsTimeName(parameter.Name))
        {
            return HostileValues.Weighted((4, Gen.OneOf(HostileValues.Dates)), (1, HostileValues.String()));
        }
        return StringFor(parameter.Name, schema, Style.Hostile);
    }

    private Gen<FuzzBody?> BodyFor(ContractOperation operation)
    {
        var schema = contract.Resolve(operation.JsonBody);
        if (schema is null)
        {
            // No body documented: send one anyway now and then; it must be ignored or refused.
            return HostileValues.Weighted<FuzzBody?>((6, Gen.Const(default(FuzzBody))), (1, Gen.OneOf(HostileValues.MalformedBodies).Select(b => (FuzzBody?)FuzzBody.Json(b, "undocumented"))));
        }
        if (schema["oneOf"] is JsonArray choices && choices.FirstOrDefault(c => c?["$ref"] is not null) is { } referenced)
        {
            schema = contract.Resolve(referenced)!; // an optional body: "null or the request object"
        }
        var plausible = Value(schema, "body", 0, Style.Hostile);
        var clean = Value(schema, "body", 0, Style.Clean);
        return HostileValues.Weighted<FuzzBody?>(
            (3, clean.Select(json => Some(FuzzBody.Json(json, "well-formed")))),
            (4, plausible.Select(json => Some(FuzzBody.Json(json, "hostile values")))),
            (2, ObjectWithUnknownFields(schema).Select(json => Some(FuzzBody.Json(json, "unknown fields")))),
            (2, Value(schema, "body", 0, Style.WrongTypes).Select(json => Some(FuzzBody.Json(json, "wrong types")))),
            (2, Gen.OneOf(HostileValues.MalformedBodies).Select(json => Some(FuzzBody.Json(json, "malformed")))),
            (1, Gen.OneOf(HostileValues.InvalidUtf8).Select(bytes => Some(new FuzzBody(bytes, "application/json", "invalid UTF-8")))),
            (1, from json in plausible
                from contentType in Gen.OneOf<string?>(null, "text/plain", "application/x-www-form-urlencoded", "application/xml", "application/json; charset=utf-16", "multipart/form-data; boundary=x", "application/*", "")
                select Some(new FuzzBody(Encoding.UTF8.GetBytes(json), contentType, "wrong content type"))),
            (1, from json in plausible
                from size in Gen.OneOf(RequestLimits.MaxBodyBytes - 1, RequestLimits.MaxBodyBytes, RequestLimits.MaxBodyBytes + 1, 200_000)
                select Some(FuzzBody.Json(PadTo(json, size), $"{size}-byte"))));
    }

    private static FuzzBody? Some(FuzzBody body) => body;

    /// <summary>The object padded with an unknown string member so that it is exactly <paramref name="size"/> bytes of UTF-8.</summary>
    private static string PadTo(string json, int size)
    {
        if (!json.StartsWith('{'))
        {
            json = "{}";
        }
        var opening = json == "{}" ? "{\"padding\":\"" : "{\"padding\":\"";
        var closing = json == "{}" ? "\"}" : "\"," + json[1..];
        var fill = Math.Max(0, size - Encoding.UTF8.GetByteCount(opening + closing));
        return opening + new string('x', fill) + closing;
    }

    private Gen<string> ObjectWithUnknownFields(JsonNode schema) =>
        from json in Value(schema, "body", 0, Style.Clean)
        from name in Gen.OneOf("unknown", "__proto__", "constructor", "id", "workspace_id", "created_at", "Name", "NAME", "", "\u0000", "a.b", "$type")
        from value in Gen.OneOf([.. HostileValues.WrongTypes, HostileValues.Json("surplus")])
        select json.StartsWith('{') && json.Length > 2 ? "{" + HostileValues.Json(name) + ":" + value + "," + json[1..]
            : json.StartsWith('{') ? "{" + HostileValues.Json(name) + ":" + value + "}" : json;

    /// <summary>JSON text for a value of <paramref name="schema"/>, in the given style.</summary>
    private Gen<string> Value(JsonNode? schema, string name, int depth, Style style)
    {
        schema = contract.Resolve(schema);
        if (schema?["oneOf"] is JsonArray choices)
        {
            return Gen.OneOf([.. choices.Select(c => (IGen<string>)Value(c, name, depth, style))]);
        }
        var types = Types(schema).Where(t => t != "null").ToList();
        var nullable = Types(schema).Contains("null");
        if (types.Count == 0)
        {
            return AnyJson(name, depth);
        }
        var gens = types.Select(type => (IGen<string>)(type switch
        {
            "object" => ObjectValue(schema!, depth, style),
            "array" => ArrayValue(schema!, name, depth, style),
            "integer" => style == Style.Clean ? Gen.OneOf("1", "5", "30", "100") : Gen.OneOf(HostileValues.Integers),
            "number" => style == Style.Clean ? Gen.OneOf("0.5", "1", "0") : Gen.OneOf(HostileValues.Numbers),
            "boolean" => Gen.OneOf("true", "false"),
            _ => StringFor(name, schema, style).Select(HostileValues.Json),
        })).ToArray();
        var value = Gen.OneOf(gens);
        return HostileValues.Weighted((12, value), (nullable && style != Style.Clean ? 1 : 0, Gen.Const("null")), (style == Style.WrongTypes ? 3 : 0, Gen.OneOf(HostileValues.WrongTypes)));
    }

    private Gen<string> ObjectValue(JsonNode schema, int depth, Style style)
    {
        if (depth >= MaxDepth)
        {
            return Gen.Const("{}");
        }
        var required = (schema["required"]?.AsArray() ?? []).Select(r => (string?)r).ToHashSet();
        var members = (schema["properties"]?.AsObject() ?? []).Select(property =>
            Optional(Value(property.Value, property.Key, depth + 1, style).Select(v => HostileValues.Json(property.Key) + ":" + v),
                present: required.Contains(property.Key) ? 9 : 2, absent: required.Contains(property.Key) && style == Style.Clean ? 0 : 1));
        if (schema["additionalProperties"] is JsonObject additional)
        {
            members = members.Append(Optional(
                from key in HostileValues.String("source", "vip")
                from value in Value(additional, key, depth + 1, style)
                select HostileValues.Json(key) + ":" + value, present: 1, absent: 1));
        }
        return Members(members).Select(list => "{" + string.Join(",", list) + "}");
    }

    private Gen<string> ArrayValue(JsonNode schema, string name, int depth, Style style) =>
        depth >= MaxDepth ? Gen.Const("[]")
        : HostileValues.Weighted(
            (6, Value(schema["items"], name, depth + 1, style).Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")),
            (style == Style.Clean ? 0 : 1, Value(schema["items"], name, depth + 1, style).Select(item => "[" + string.Join(",", Enumerable.Repeat(item, 500)) + "]")));

    /// <summary>Any JSON, for members the schema leaves open (flow documents, settings, timestamps typed as objects).</summary>
    private Gen<string> AnyJson(string name, int depth)
    {
        var flat = HostileValues.Weighted(
            (3, StringFor(name, null, Style.Hostile).Select(HostileValues.Json)),
            (2, Gen.OneOf(HostileValues.WrongTypes)),
            (1, Gen.OneOf(HostileValues.Numbers)),
            (1, Gen.OneOf(new string('[', 60) + new string(']', 60), new string('[', 70) + new string(']', 70), "{\"nodes\":[{\"id\":\"\",\"type\":\"\"}],\"edges\":[{}]}")));
        if (depth >= MaxDepth)
        {
            return flat;
        }
        var inner = AnyJson(name, MaxDepth);
        return HostileValues.Weighted(
            (6, flat),
            (1, inner.Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")),
            (1, from key in HostileValues.String("start", "type", "nodes", "monday", "enabled")
                from value in inner
                select "{" + HostileValues.Json(key) + ":" + value + "}"));
    }

    /// <summary>
    /// A string for a member or parameter: ids of both workspaces for <c>…_id</c>, timestamps for times, enum values; in
    /// the clean style only such ordinary values, otherwise hostile text too.
    /// </summary>
    private Gen<string> StringFor(string name, JsonNode? schema, Style style)
    {
        var ordinary = OrdinaryStrings(name, schema);
        return style == Style.Clean ? Gen.OneOf(ordinary) : HostileValues.String(ordinary);
    }

    private string[] OrdinaryStrings(string name, JsonNode? schema)
    {
        if (schema?["enum"] is JsonArray values && values.Count > 0)
        {
            return [.. values.Select(v => v?.ToString() ?? "")];
        }
        var own = world.Own;
        if (name is "provider" or "fallback_provider")
        {
            return ["builtin", own[ResourceKind.ModelProvider], world.Other[ResourceKind.ModelProvider]];
        }
        if (name == "id" || name.EndsWith("_id", StringComparison.Ordinal) || name.EndsWith("_ids", StringComparison.Ordinal))
        {
            var kind = name switch
            {
                "bot_id" or "bot_ids" => ResourceKind.Bot,
                "conversation_id" => ResourceKind.Conversation,
                "contact_id" => ResourceKind.Contact,
                _ => (ResourceKind?)null,
            };
            return kind is { } k ? [own[k], own[k], world.Other[k]] : [.. own.Values.Where(v => !v.All(char.IsDigit))];
        }
        if (IsTimeName(name))
        {
            return [world.Slot, "2026-11-24T13:45:00Z", DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)];
        }
        return name switch
        {
            "email" => ["ada@example.com", "ADA@EXAMPLE.COM", "ada+tag@example.co.uk"],
            "phone" => ["+49 30 1234567", "+1 (555) 010-0000"],
            "url" or "base_url" or "page_url" or "referrer" or "avatar_url" => ["https://shop.example/pricing", "https://hooks.example/parley"],
            "kind" => ["openai", "anthropic", "secret", "publishable"],
            "type" => ["text", "markdown", "html"],
            "status" => ["open", "closed", "new", "contacted", "qualified", "won", "lost", "pending", "delivered", "failed"],
            "events" => ["*", "lead.captured", "message.created", "booking.created"],
            "scopes" => ["bots:read", "bots:write", "agent"],
            "allowed_origins" => ["https://shop.example"],
            "template" => ["faq_lead_capture", "appointment_booking", "qualify_handoff"],
            "primary_color" => ["#336699"],
            "position" => ["left", "right"],
            "locale" => ["de-AT", "en"],
            "text" or "content" or "notes" or "instructions" or "greeting" or "fallback_text" or "query" => ["Do you deliver on Sundays?", "hello", "When are you open?"],
            _ => ["Ada", "hello", "Support bot"],
        };
    }

    private static bool IsTimeName(string name) =>
        name is "start" or "since" or "until" or "from" or "to" or "period" || name.EndsWith("_after", StringComparison.Ordinal) || name.EndsWith("_before", StringComparison.Ordinal)
        || name.EndsWith("_at", StringComparison.Ordinal);

    private static List<string> Types(JsonNode? schema) => schema?["type"] switch
    {
        JsonArray many => [.. many.Select(t => (string?)t ?? "")],
        JsonValue one => [(string)one!],
        _ => [],
    };

    private static Gen<T?> Optional<T>(Gen<T> value, int present, int absent) where T : struct =>
        HostileValues.Weighted((present, value.Select(v => (T?)v)), (absent, Gen.Const(default(T?))));

    private static Gen<string?> Optional(Gen<string> value, int present, int absent) =>
        HostileValues.Weighted<string?>((present, value.Select(v => (string?)v)), (absent, Gen.Const(default(string))));

    /// <summary>Generates each member in turn and keeps those present, in order.</summary>
    private static Gen<ImmutableList<T>> Members<T>(IEnumerable<Gen<T?>> members) where T : struct =>
        members.Aggregate(Gen.Const(ImmutableList<T>.Empty), (list, member) => list.SelectMany(l => member.Select(m => m is { } v ? l.Add(v) : l)));

    private static Gen<ImmutableList<string>> Members(IEnumerable<Gen<string?>> members) =>
        members.Aggregate(Gen.Const(ImmutableList<string>.Empty), (list, member) => list.SelectMany(l => member.Select(m => m is { } v ? l.Add(v) : l)));

    private static Gen<ImmutableList<KeyValuePair<string, PathValue>>> Members(IEnumerable<Gen<KeyValuePair<string, PathValue>>> members) =>
        members.Aggregate(Gen.Const(ImmutableList<KeyValuePair<string, PathValue>>.Empty), (list, member) => list.SelectMany(l => member.Select(l.Add)));

    /// <summary>Clean values make requests that may succeed (so 2xx bodies are checked too); hostile and wrong-typed ones should not.</summary>
    private enum Style
    {
        Clean,
        Hostile,
        WrongTypes,
    }
}

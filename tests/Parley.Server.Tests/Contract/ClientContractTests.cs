using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Client;
using Parley.Client.Models;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Contract;

/// <summary>
/// Keeps <c>Parley.Client</c> in step with <c>openapi/v1.json</c>: every client method calls an operation the
/// contract has, and every model has exactly the properties of the schema of the same name, so a field the server adds,
/// renames or removes fails here until the client follows.
/// </summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class ClientContractTests
{
    private static readonly JsonNode Contract = JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("openapi/v1.json")))!;

    // The client is two assemblies: Parley.Client, and Parley.Client.Operations, whose calls are extension members of
    // ParleyClient (compiled to static methods of ParleyClientOperations).
    private static readonly Assembly[] ClientAssemblies = [typeof(ParleyClient).Assembly, typeof(ParleyClientOperations).Assembly];

    public static TheoryData<string> Operations()
    {
        var data = new TheoryData<string>();
        var methods = typeof(ParleyClient).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Concat(typeof(ParleyClientOperations).GetMethods(BindingFlags.Public | BindingFlags.Static));
        foreach (var method in methods)
        {
            foreach (var operation in method.GetCustomAttributes<ApiOperationAttribute>())
            {
                data.Add($"{method.Name}: {operation.Method} {operation.Path}");
            }
        }
        return data;
    }

    public static TheoryData<string> Models()
    {
        var data = new TheoryData<string>();
        foreach (var type in ClientAssemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.Namespace == typeof(BotResponse).Namespace && type.IsPublic && !type.IsGenericTypeDefinition && type != typeof(Problem))
            {
                data.Add(type.Name);
            }
        }
        return data;
    }

    [Fact]
    public void Client_CoversTheDashboardsOperations() => Assert.True(Operations().Count >= 30);

    [Theory]
    [MemberData(nameof(Operations))]
    public void Operation_ExistsInContract(string operation)
    {
        var (method, path) = (operation.Split(' ')[1], operation.Split(' ')[2]);
        Assert.True(Contract["paths"]![path]?[method.ToLowerInvariant()] is not null, $"openapi/v1.json has no {method} {path} ({operation}).");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Model_MatchesSchemaOfSameName(string name)
    {
        var schema = Contract["components"]!["schemas"]![name];
        Assert.True(schema is not null, $"openapi/v1.json has no schema {name}.");
        var type = ClientAssemblies.Select(a => a.GetType($"{typeof(BotResponse).Namespace}.{name}")).Single(t => t is not null)!;
        if (type.IsEnum)
        {
            var values = Enum.GetNames(type).Select(n => JsonNamingPolicy.SnakeCaseLower.ConvertName(n)).Order();
            Assert.Equal(schema["enum"]!.AsArray().Select(v => (string)v!).Order(), values);
            return;
        }
        var expected = schema["properties"]!.AsObject().Select(p => p.Key).Order().ToList();
        var actual = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract")
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).Order().ToList();
        Assert.Equal(expected, actual);
    }
}

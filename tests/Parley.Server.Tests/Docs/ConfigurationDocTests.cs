using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Parley.Server.Tests.Contract;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Docs;

/// <summary>
/// docs/configuration.md documents every <c>Parley:</c> setting the server reads, and only those. The server's settings
/// are the properties of its options classes (each with a <c>Section</c> constant such as <c>Parley:Webhooks</c>),
/// plus the few keys read straight from the configuration (<c>configuration["Parley:DataDirectory"]</c>).
/// </summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed partial class ConfigurationDocTests
{
    [Fact]
    public void ConfigurationDoc_EveryDocumentedKey_IsReadByTheServer()
    {
        var settings = ServerSettings();

        var unknown = DocumentedKeys().Where(doc => !settings.Any(key => Matches(doc, key))).ToList();

        Assert.True(unknown.Count == 0, "docs/configuration.md documents settings the server does not read: " + string.Join(", ", unknown));
    }

    [Fact]
    public void ConfigurationDoc_EverySettingTheServerReads_IsDocumented()
    {
        var documented = DocumentedKeys();

        var missing = ServerSettings().Where(key => !documented.Any(doc => Matches(doc, key))).ToList();

        Assert.True(missing.Count == 0, "docs/configuration.md does not document: " + string.Join(", ", missing));
    }

    // The first column of the tables: `Parley:Webhooks:Timeout`; `<plan>` stands for any one segment, a final `…` for anything below.
    private static List<string> DocumentedKeys() =>
        DocPages.Read("docs/configuration.md").Split('\n')
            .Where(line => line.StartsWith("| `Parley:", StringComparison.Ordinal))
            .Select(line => line.Split('|')[1].Trim().Trim('`'))
            .ToList();

    private static bool Matches(string documented, string key)
    {
        var doc = documented.Split(':');
        var actual = key.Split(':');
        for (var i = 0; i < doc.Length; i++)
        {
            if (doc[i] == "…")
            {
                return i < actual.Length;
            }
            if (i >= actual.Length || !(doc[i].StartsWith('<') || actual[i] == "*" ? doc[i].StartsWith('<') : doc[i] == actual[i]))
            {
                return false;
            }
        }
        return doc.Length == actual.Length;
    }

    private static List<string> ServerSettings()
    {
        var keys = new List<string>();
        foreach (var type in ParleyAssemblies().SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
                && field.GetRawConstantValue() is string section && section.StartsWith("Parley:", StringComparison.Ordinal))
            {
                AddKeys(keys, section, type, depth: 0);
            }
        }
        var source = Directory.GetFiles(RepositoryFiles.PathOf("src"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText);
        keys.AddRange(source.SelectMany(s => DirectRead().Matches(s)).Select(m => m.Groups["key"].Value));
        return [.. keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static void AddKeys(List<string> keys, string prefix, Type type, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = $"{prefix}:{property.Name}";
            var propertyType = property.PropertyType;
            if (IsLeaf(propertyType))
            {
                if (property.CanWrite)
                {
                    keys.Add(key);
                }
            }
            else if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                var value = propertyType.GetGenericArguments()[1];
                if (IsLeaf(value))
                {
                    keys.Add(key + ":*");
                }
                else
                {
                    AddKeys(keys, key + ":*", value, depth + 1);
                }
            }
            else if (depth < 4 && propertyType.IsClass && propertyType.Namespace?.StartsWith("Parley", StringComparison.Ordinal) == true)
            {
                AddKeys(keys, key, propertyType, depth + 1);
            }
        }
    }

    // A value the binder sets from one key (or a list of them under one key).
    private static bool IsLeaf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(DateTimeOffset) || t == typeof(Uri))
        {
            return true;
        }
        if (t.IsArray)
        {
            return IsLeaf(t.GetElementType()!);
        }
        return t.IsGenericType && typeof(IEnumerable).IsAssignableFrom(t) && t.GetGenericArguments() is [var element] && IsLeaf(element);
    }

    private static List<Assembly> ParleyAssemblies()
    {
        var found = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Stack<Assembly>([typeof(Program).Assembly]);
        while (pending.TryPop(out var assembly))
        {
            if (!found.TryAdd(assembly.GetName().Name!, assembly))
            {
                continue;
            }
            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Parley.", StringComparison.Ordinal)))
            {
                pending.Push(Assembly.Load(reference));
            }
        }
        return [.. found.Values];
    }

    [GeneratedRegex(@"configuration\[""(?<key>Parley:[A-Za-z:]+)""\]")]
    private static partial Regex DirectRead();
}

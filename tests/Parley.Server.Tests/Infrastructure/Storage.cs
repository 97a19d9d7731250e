namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// The trait of a test class whose subject does not depend on the database (a contract, a document, a protocol, a
/// network rule, a command that uses SQLite whatever the run): test.sh runs it on SQLite and not again on PostgreSQL.
/// </summary>
public static class Storage
{
    public const string Trait = "Storage";
    public const string Independent = "independent";
}

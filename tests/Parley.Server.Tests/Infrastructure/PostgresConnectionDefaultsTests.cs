using Npgsql;
using Parley.Data.Providers;

namespace Parley.Server.Tests.Infrastructure;

[Trait(Storage.Trait, Storage.Independent)]
public sealed class PostgresConnectionDefaultsTests
{
    [Fact]
    public void Apply_NothingSaid_StatementsPreparedAutomatically()
    {
        var applied = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply("Host=db;Database=parley;Username=parley"));

        Assert.Equal(PostgresConnectionDefaults.MaxAutoPrepare, applied.MaxAutoPrepare);
        Assert.Equal(("db", "parley", "parley"), (applied.Host, applied.Database, applied.Username));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=0", 0)]
    [InlineData("Host=db;max auto prepare=50", 50)]
    public void Apply_ConnectionStringSaysHowMany_Kept(string connectionString, int kept) =>
        Assert.Equal(kept, new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply(connectionString)).MaxAutoPrepare);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Parley.Data.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model for SQLite without the server.</summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<ParleyDbContext>
{
    public ParleyDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<ParleyDbContext>();
        DatabaseRegistration.Configure(options, DatabaseProvider.Sqlite, "Data Source=design-time.db");
        return new ParleyDbContext(options.Options);
    }
}

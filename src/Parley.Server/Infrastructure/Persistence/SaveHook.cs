using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parley.Server.Infrastructure.Persistence;

/// <summary>
/// A save interceptor that does the same for synchronous and asynchronous saves: <see cref="Saving"/> runs before the
/// changes are written (what it adds to the context is saved with them), <see cref="Saved"/> once they were.
/// </summary>
public abstract class SaveHook : SaveChangesInterceptor
{
    protected abstract void Saving(DbContext? context);

    protected abstract void Saved(DbContext? context);

    public sealed override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public sealed override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public sealed override ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public sealed override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }
}

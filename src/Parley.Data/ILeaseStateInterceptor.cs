using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parley.Data;

/// <summary>
/// An interceptor that keeps state for a context from one save to the end of its transaction (the outbox's
/// contributions, the usage meter's increments, the SQLite write gate). Contexts are pooled: one whose scope ended
/// before a commit or a rollback would otherwise carry that state into the next scope that leases it.
/// </summary>
public interface ILeaseStateInterceptor : IInterceptor
{
    /// <summary>
    /// <paramref name="context"/>'s scope is over and its transaction, if one was left open, rolled back: forget what
    /// is kept for it. Called just before the context goes back to the pool.
    /// </summary>
    void LeaseEnded(DbContext context);
}

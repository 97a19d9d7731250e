using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Parley.Data.Protection;

/// <summary>
/// The model holds the value converters of the encrypted fields, which hold the cipher: one model per cipher, so
/// that two servers in one process (tests) never read each other's keys.
/// </summary>
internal sealed class ParleyModelCacheKeyFactory : IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime) =>
        context is ParleyDbContext parley ? (context.GetType(), parley.Cipher, designTime) : (context.GetType(), designTime);
}

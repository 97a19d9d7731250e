using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Parley.Data;

/// <summary>
/// A query of the hot path compiled once per EF model instead of translated again (cache key, parameter extraction) on
/// every run. EF binds a compiled query to the first model it runs against and refuses any other, and one process can
/// hold several models (each field cipher builds its own, so do the two providers): this keeps one compiled delegate
/// per model, made by <paramref name="compile"/> (an <c>EF.CompileAsyncQuery</c> call) the first time a model asks.
/// </summary>
public sealed class CompiledQueryPerModel<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = [];

    /// <summary>The query compiled for <paramref name="db"/>'s model.</summary>
    public TQuery For(DbContext db) =>
        _byModel.TryGetValue(db.Model, out var query) ? query : _byModel.GetValue(db.Model, _ => compile());
}

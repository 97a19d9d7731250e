using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Parley.Data.Providers;

/// <summary>
/// PostgreSQL's <c>timestamptz</c> takes only UTC offsets from Npgsql. A time from a query string keeps the offset the
/// caller wrote (<c>created_after=2026-11-24T13:45:00+05:30</c>); EF converts query parameters with the column's
/// converter, so this one turns every such time into the same instant in UTC.
/// </summary>
internal sealed class UtcTimestampConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(v => v.ToUniversalTime(), v => v);

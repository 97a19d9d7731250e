using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Parley.Data.Providers;

/// <summary>
/// Stores timestamps on SQLite as UTC microseconds since the Unix epoch: an integer column that SQLite can compare
/// and sort (it cannot compare the text form EF uses by default), at the same precision as PostgreSQL's timestamptz.
/// </summary>
internal sealed class UnixMicrosecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => (v.UtcTicks - DateTimeOffset.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond,
    v => new DateTimeOffset(DateTimeOffset.UnixEpoch.Ticks + v * TimeSpan.TicksPerMicrosecond, TimeSpan.Zero));

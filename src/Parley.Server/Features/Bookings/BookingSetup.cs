namespace Parley.Server.Features.Bookings;

public static class BookingSetup
{
    public static IServiceCollection AddBookings(this IServiceCollection services)
    {
        services.AddScoped<BookingService>();
        return services;
    }
}

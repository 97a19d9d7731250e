using Parley.Engine.Ids;

namespace Parley.Server.Infrastructure.Http;

/// <summary>Gives every request an id (<c>req_…</c>), returned in <c>X-Request-Id</c> and in every problem body.</summary>
public static class RequestIds
{
    public const string Header = "X-Request-Id";

    public static string Of(HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(RequestIds), out var id) && id is string existing)
        {
            return existing;
        }
        var created = IdGenerator.Default.New(IdPrefix.Request);
        http.Items[typeof(RequestIds)] = created;
        return created;
    }

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var id = Of(http);
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        http.TraceIdentifier = id;
        return next(http);
    });
}

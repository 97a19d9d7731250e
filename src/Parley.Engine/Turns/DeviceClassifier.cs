namespace Parley.Engine.Turns;

/// <summary>Tells the kind of device from a user agent, for analytics: coarse on purpose, no fingerprinting.</summary>
public static class DeviceClassifier
{
    public const string Desktop = "desktop";
    public const string Mobile = "mobile";
    public const string Tablet = "tablet";
    public const string Bot = "bot";

    public static string? Classify(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return null;
        }
        bool Has(string s) => userAgent.Contains(s, StringComparison.OrdinalIgnoreCase);
        if (Has("bot") || Has("crawler") || Has("spider"))
        {
            return Bot;
        }
        if (Has("ipad") || Has("tablet") || (Has("android") && !Has("mobile")))
        {
            return Tablet;
        }
        if (Has("mobi") || Has("iphone") || Has("android"))
        {
            return Mobile;
        }
        return Desktop;
    }
}

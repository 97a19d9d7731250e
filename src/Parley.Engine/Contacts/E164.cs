using LibPhone = PhoneNumbers;

namespace Parley.Engine.Contacts;

/// <summary>Phone numbers in E.164 (<c>+49301234567</c>), the one form Parley stores them in.</summary>
public static class E164
{
    /// <summary>
    /// The number in E.164, or null when it is not one. <paramref name="requireValid"/> also asks for a number range in
    /// use: right where a visitor is asked and can type it again, too strict for data an integration hands over.
    /// </summary>
    public static string? Normalize(string text, string? defaultRegion, bool requireValid = false)
    {
        var util = LibPhone.PhoneNumberUtil.GetInstance();
        try
        {
            var number = util.Parse(text, string.IsNullOrEmpty(defaultRegion) ? "ZZ" : defaultRegion.ToUpperInvariant());
            var usable = requireValid ? util.IsValidNumber(number) : util.IsPossibleNumber(number);
            return usable ? util.Format(number, LibPhone.PhoneNumberFormat.E164) : null;
        }
        catch (LibPhone.NumberParseException)
        {
            return null;
        }
    }
}

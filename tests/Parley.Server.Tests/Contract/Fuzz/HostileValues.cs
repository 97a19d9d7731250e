using System.Globalization;
using System.Text;
using CsCheck;

namespace Parley.Server.Tests.Contract.Fuzz;

/// <summary>The values bad input is made of: strings that break naive code, numbers at the edges, broken JSON.</summary>
internal static class HostileValues
{
    public static readonly string[] Strings =
    [
        "", " ", "\u0000", "a\u0000b", "\u0001\u0002\u0003\u001b[31mred", "\t\r\n", "line\nbreak", "\u202Eevil.exe\u202C", "\u200F\u200E\u061C",
        "مرحبا بالعالم", "שלום עולם", "你好，世界", "こんにちは", "👩‍👩‍👧‍👦🏳️‍🌈🇩🇪", "\uFEFFbom", "\u200Bzero\u200Bwidth", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
        "𝕳𝖊𝖑𝖑𝖔", "ǅİıßẞ", "\uFFFF\uFFFE", "\uD800", "\uDFFF\uD800", "'; DROP TABLE bots; --", "\" OR 1=1 --", "%", "%00", "%2e%2e%2f",
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "../../../../etc/passwd", "..\\..\\windows\\win.ini", "${jndi:ldap://x/a}",
        "{{7*7}}", "null", "undefined", "NaN", "-1", "0", "99999999999999999999999", "1e309", "true", "\\", "\"", "'", "`", "*", "?", "#", "&", "/",
        "javascript:alert(1)", "file:///etc/passwd", "http://127.0.0.1:1/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/",
        "https://hooks.example/a b", "mailto:a@b", "a@b", "ada@example.com", "@@", "+49 30 1234567", "+", "２０２６-１１-２４",
        "2026-02-30T25:61:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-11-24", "-000001-01-01T00:00:00Z", "*:*", "bot_", "conv_",
    ];

    /// <summary>String lengths at and around the API's limits, up to bodies near the 64 KB request limit.</summary>
    public static readonly int[] Lengths = [1, 64, 100, 101, 200, 201, 255, 256, 500, 501, 1000, 1001, 2000, 2001, 4000, 4001, 10_000, 32_000, 60_000];

    public static readonly string[] Integers =
        ["0", "1", "-1", "100", "101", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "99999999999999999999", "1.5", "-0", "1e3"];

    public static readonly string[] Numbers = [.. Integers, "1e308", "-1e308", "5e-324", "0.000001", "3.5", "-2"];

    public static readonly string[] WrongTypes = ["[]", "{}", "42", "\"text\"", "true", "null", "-1.5e300", "[[[]]]", "{\"a\":{\"b\":{}}}", "[\"a\",1,null]"];

    /// <summary>Bodies that are not JSON, not an object, or JSON that no reader should accept.</summary>
    public static readonly string[] MalformedBodies =
    [
        "", " ", "{", "}", "{\"", "{\"a\":}", "{\"a\" 1}", "{'a': 1}", "{a: 1}", "{\"a\":1,}", "{\"a\":1}}", "{\"a\":1} trailing", "[", "[1,2",
        "nul", "tru", "NaN", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":1e400}", "{\"a\":-1e400}", "{\"a\":01}", "{\"a\":0x10}", "{\"a\":.5}",
        "{\"a\":\"\\ud800\"}", "{\"a\":\"\\x41\"}", "{\"a\":\"\u0001\"}", "{\"a\":\"unterminated}", "{/* comment */}", "\uFEFF{}", "{\"a\":1,\"a\":2}",
        "\"just a string\"", "42", "true", "null", "[]", "[{}]", new string('[', 5000) + new string(']', 5000),
        string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000),
    ];

    /// <summary>Byte sequences that are not UTF-8 at all, sent as JSON.</summary>
    public static readonly byte[][] InvalidUtf8 = [[0xFF, 0xFE, 0x7B, 0x7D], [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D], [0x7B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x3A, 0x31, 0x7D]];

    public static readonly string[] Dates =
        ["2026-11-24T13:45:00Z", "2026-11-24", "2026-11-24T13:45:00+05:30", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "yesterday", "2026-13-45", "1700000000", "", "2026-02-30"];

    /// <summary>
    /// A JSON string literal for <paramref name="value"/>: non-ASCII characters as they are, control characters and lone
    /// surrogates escaped (a serializer refuses lone surrogates, and they are what this suite wants to send).
    /// </summary>
    public static string Json(string value)
    {
        var json = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (paired)
            {
                json.Append(c).Append(value[++i]);
            }
            else if (c is '"' or '\\')
            {
                json.Append('\\').Append(c);
            }
            else if (c < ' ' || char.IsSurrogate(c))
            {
                json.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                json.Append(c);
            }
        }
        return json.Append('"').ToString();
    }

    /// <summary>Ordinary words, hostile strings, strings of boundary lengths, and random unicode.</summary>
    public static Gen<string> String(params string[] ordinary) => Weighted(
        (4, Gen.OneOf(ordinary.Length > 0 ? ordinary : ["Ada", "hello", "Support bot"])),
        (4, Gen.OneOf(Strings)),
        (1, Gen.OneOf(Lengths).Select(n => new string('x', n))),
        (1, Gen.OneOf(Lengths).Select(n => string.Concat(Enumerable.Repeat("é😀", n / 3 + 1)))),
        (1, Gen.Char.Array[0, 24].Select(chars => new string(chars))));

    /// <summary>Picks one generator by weight; a weight of 0 leaves it out.</summary>
    public static Gen<T> Weighted<T>(params (int Weight, Gen<T> Gen)[] choices) =>
        Gen.Frequency([.. choices.Where(c => c.Weight > 0).Select(c => (c.Weight, (IGen<T>)c.Gen))]);
}

using System.Security.Cryptography;
using System.Text;

namespace Parley.Server.Features.Imports;

/// <summary>
/// The id a row gets when its own id is taken by another workspace. It is derived from the target workspace and the
/// original id, so importing the same archive again finds the row it made the first time (idempotent), and it keeps
/// the original's time part, so ids still sort by creation time.
/// </summary>
public static class ImportIds
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int TimeChars = 10;

    public static string Remap(string id, string workspaceId)
    {
        var separator = id.LastIndexOf('_');
        var prefix = id[..(separator + 1)];
        var body = id[(separator + 1)..];
        var keep = body[..Math.Min(TimeChars, body.Length)];
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(workspaceId + "/" + id));
        var tail = new StringBuilder(26 - keep.Length);
        for (var i = 0; tail.Length < 26 - keep.Length; i++)
        {
            tail.Append(Alphabet[hash[i] & 31]);
        }
        return prefix + keep + tail;
    }
}

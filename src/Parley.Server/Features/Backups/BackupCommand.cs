namespace Parley.Server.Features.Backups;

/// <summary>
/// <c>export</c> or <c>import</c> given on the command line instead of starting the server (docs/backups.md). Parsing
/// splits the arguments: the command's own options, and the rest, which configure the application exactly as they
/// would configure the server (<c>--Parley:DataDirectory</c>, <c>--ConnectionStrings:Parley</c>, …).
/// </summary>
public sealed record BackupCommand(
    string Name, string? ArchivePath, string? WorkspaceId, bool IncludePii, bool Quiet, IReadOnlyList<string> ConfigurationArgs)
{
    public const string Export = "export";
    public const string Import = "import";

    /// <summary>Success.</summary>
    public const int ExitOk = 0;

    /// <summary>The work failed: a refused archive, a database or file error. Nothing was imported.</summary>
    public const int ExitFailed = 1;

    /// <summary>The command line is wrong; nothing was done.</summary>
    public const int ExitUsage = 2;

    public const string Usage = """
        Usage:
          Parley.Server                                    start the server (the default)
          Parley.Server export --out <file.zip> [options]  write a workspace's export archive to a file
          Parley.Server import <file.zip> [options]        import an export archive into a workspace

        Both commands work on the database the server is configured with (appsettings.json, environment variables
        such as Parley__DataDirectory or ConnectionStrings__Parley, or --Parley:Database:Provider=… arguments), with
        the same archive code as POST /v1/exports and POST /v1/imports.

        export options:
          --out <file>            the archive to write (required); written beside as <file>.part, then moved into place
          --workspace <id>        the workspace to export; needed only when the database holds several
          --include-pii <bool>    contacts' names, emails and phones in clear (default: true, a backup must restore
                                  losslessly; false omits them as an API export without the export:pii scope does)
        import options:
          --workspace <id>        the workspace to import into. Without it: the archive's own workspace when it is
                                  here, a new workspace made from the archive when the database is empty (with an owner
                                  key written to admin-key.txt in the data directory), or the only workspace there is
        common options:
          --quiet                 no progress on standard error
          -h, --help              this text

        Exit codes: 0 done, 1 failed (nothing imported), 2 wrong command line.
        """;

    /// <summary>Whether the arguments ask for a command rather than the server.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is Export or Import or "help" or "--help" or "-h";

    /// <summary>The command, or the exit code when it is help or a usage error (written to <paramref name="error"/>).</summary>
    public static (BackupCommand? Command, int? Exit) Parse(string[] args, TextWriter output, TextWriter error)
    {
        if (args[0] is "help" or "--help" or "-h" || args.Skip(1).Any(a => a is "--help" or "-h"))
        {
            output.WriteLine(Usage);
            return (null, ExitOk);
        }
        string? archive = null, workspace = null, includePii = null;
        var quiet = false;
        var rest = new List<string>();
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            string? Value()
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    return arg[(eq + 1)..];
                }
                return i + 1 < args.Length ? args[++i] : null;
            }
            var name = arg.Split('=', 2)[0];
            switch (name)
            {
                case "--out" when args[0] == Export:
                    archive = Value() ?? "";
                    break;
                case "--workspace":
                    workspace = Value() ?? "";
                    break;
                case "--include-pii" when args[0] == Export:
                    includePii = Value() ?? "";
                    break;
                case "--quiet":
                    quiet = true;
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        // A configuration override such as --Parley:DataDirectory=… (a key always has a colon or is a known host setting).
                        if (!name.Contains(':', StringComparison.Ordinal) && name is not ("--urls" or "--environment" or "--contentRoot"))
                        {
                            return UsageError(error, $"Unknown option '{name}' for {args[0]}.");
                        }
                        rest.Add(arg);
                        if (!arg.Contains('=', StringComparison.Ordinal) && i + 1 < args.Length)
                        {
                            rest.Add(args[++i]);
                        }
                    }
                    else if (args[0] == Import && archive is null)
                    {
                        archive = arg;
                    }
                    else
                    {
                        return UsageError(error, $"Unexpected argument '{arg}'.");
                    }
                    break;
            }
        }
        if (string.IsNullOrWhiteSpace(archive))
        {
            return UsageError(error, args[0] == Export ? "export needs --out <file.zip>." : "import needs the archive: import <file.zip>.");
        }
        if (workspace is { Length: 0 })
        {
            return UsageError(error, "--workspace needs a workspace id.");
        }
        var pii = true;
        if (includePii is not null && !bool.TryParse(includePii, out pii))
        {
            return UsageError(error, "--include-pii must be true or false.");
        }
        return (new BackupCommand(args[0], archive, workspace, pii, quiet, rest), null);
    }

    private static (BackupCommand?, int?) UsageError(TextWriter error, string message)
    {
        error.WriteLine("error: " + message);
        error.WriteLine("Run with --help for the usage.");
        return (null, ExitUsage);
    }
}

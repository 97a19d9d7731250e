using System.Diagnostics;
using System.Text.Json;

namespace Parley.Server.Tests.Contract.Fuzz;

/// <summary>
/// Runs the Node script in <c>validator/</c>, which checks recorded responses against <c>openapi/v1.json</c> with the npm
/// package openapi-response-validator: a second opinion that shares no code or schema reading with the server or this suite.
/// </summary>
internal static class ContractValidator
{
    private static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The validator's report, null when it passed, or a reason it could not run (then <c>Ran</c> is false).</summary>
    public static async Task<(bool Ran, string? Mismatches, string Summary)> ValidateAsync(IReadOnlyList<RecordedResponse> responses, string database)
    {
        var directory = RepositoryFiles.PathOf("tests/Parley.Server.Tests/Contract/Fuzz/validator");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "openapi-response-validator")))
        {
            return (false, null, $"the contract validator is not installed: run `npm ci` in {Path.GetRelativePath(RepositoryFiles.PathOf(""), directory)} (test.sh does)");
        }
        // Kept beside the test binaries after the run, to read when something does not match.
        var file = Path.Combine(AppContext.BaseDirectory, "contract-fuzz", $"responses-{database}.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllLinesAsync(file, responses.Select(r => JsonSerializer.Serialize(r, Snake)));
        var start = new ProcessStartInfo("node") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("validate.js");
        start.ArgumentList.Add(RepositoryFiles.PathOf("openapi/v1.json"));
        start.ArgumentList.Add(file);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (false, null, "node is not installed, so responses were not validated against the contract (install Debian's nodejs and npm; test.sh does when run as root)");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var report = (await output).Trim() + (await error).Trim();
            var summary = report.Split('\n')[0];
            return (true, process.ExitCode == 0 ? null : report, summary);
        }
    }
}

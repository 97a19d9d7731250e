using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Parley.Server.Features.Exports;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Imports;

/// <summary>
/// Reads an export archive and checks it before anything is written: a zip, a manifest of a known format version,
/// every listed file present with the SHA-256 and row count the manifest gives, every row in the schema of its file.
/// </summary>
public sealed class ArchiveReader : IDisposable
{
    // Strict reading: a missing field or a null where the format has none is a schema error, not a default.
    private static readonly JsonSerializerOptions StrictJson = new(ApiJson.Options)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private readonly ZipArchive _zip;

    private ArchiveReader(ZipArchive zip, ExportManifest manifest, WorkspaceRecord workspace)
    {
        _zip = zip;
        Manifest = manifest;
        Workspace = workspace;
    }

    public ExportManifest Manifest { get; }

    public WorkspaceRecord Workspace { get; }

    /// <summary>Opens and validates the archive, or throws a 422 <c>invalid_archive</c> problem saying what is wrong.</summary>
    public static async Task<ArchiveReader> OpenAsync(Stream archive, CancellationToken cancellationToken)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(archive, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            throw Invalid("The upload is not a zip archive.");
        }
        try
        {
            var manifest = Parse<ExportManifest>(zip, ExportManifest.FileName);
            if (manifest.FormatVersion != ExportManifest.CurrentFormatVersion)
            {
                throw Invalid($"The archive has format version {manifest.FormatVersion}; this server reads version {ExportManifest.CurrentFormatVersion}.");
            }
            var expected = ExportArchiveWriter.Files.Where(f => f.Required).Select(f => f.Name).Append(ExportArchiveWriter.WorkspaceFile).ToHashSet();
            if (expected.Except(manifest.Files.Select(f => f.Name)).ToList() is { Count: > 0 } missing)
            {
                throw Invalid($"The manifest does not list {string.Join(", ", missing)}.");
            }
            foreach (var file in manifest.Files)
            {
                await CheckFileAsync(zip, file, cancellationToken);
            }
            var workspace = Parse<WorkspaceRecord>(zip, ExportArchiveWriter.WorkspaceFile);
            var problems = workspace.AssignmentRules?.ToRules().Problems() ?? new Dictionary<string, string>();
            if (problems.Count > 0)
            {
                throw Invalid($"{ExportArchiveWriter.WorkspaceFile} assignment_rules: {string.Join(" ", problems.Values)}");
            }
            var reader = new ArchiveReader(zip, manifest, workspace);
            foreach (var file in ExportArchiveWriter.Files)
            {
                // Reading every row once proves the schema (and the values the tables can hold) before the import writes the first one.
                var row = 0;
                await foreach (var record in reader.RecordsAsync(file, cancellationToken))
                {
                    row++;
                    if (AccountRecordRules.ProblemOf(record) is { } problem)
                    {
                        throw Invalid($"{file.Name} row {row}: {problem}");
                    }
                }
            }
            return reader;
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>The rows of one file, read one at a time.</summary>
    public async IAsyncEnumerable<object> RecordsAsync(ArchiveFile file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!file.Required && Manifest.Files.All(f => f.Name != file.Name))
        {
            yield break;
        }
        var entry = _zip.GetEntry(file.Name) ?? throw Invalid($"{file.Name} is missing from the archive.");
        await using var stream = entry.Open();
        if (file.Format == RecordWriter.ArrayFormat)
        {
            var type = file.Entity.RecordType.MakeArrayType();
            var rows = (Array)(await Deserialize(file.Name, 0, () => JsonSerializer.DeserializeAsync(stream, type, StrictJson, cancellationToken).AsTask()))!;
            foreach (var row in rows)
            {
                yield return row!;
            }
            yield break;
        }
        using var reader = new StreamReader(stream);
        var line = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }
            yield return (await Deserialize(file.Name, line, () => Task.FromResult(JsonSerializer.Deserialize(text, file.Entity.RecordType, StrictJson))))!;
        }
    }

    public void Dispose() => _zip.Dispose();

    public static ApiException Invalid(string detail) =>
        new(StatusCodes.Status422UnprocessableEntity, ErrorCodes.InvalidArchive, detail + " Nothing was imported.");

    private static async Task<object?> Deserialize(string file, int line, Func<Task<object?>> read)
    {
        try
        {
            return await read() ?? throw Invalid($"{file}{(line > 0 ? $" line {line}" : "")} holds null.");
        }
        catch (JsonException ex)
        {
            throw Invalid($"{file}{(line > 0 ? $" line {line}" : "")} does not match the export format: {ex.Message}");
        }
    }

    private static T Parse<T>(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw Invalid($"The archive has no {name}.");
        try
        {
            using var stream = entry.Open();
            return JsonSerializer.Deserialize<T>(stream, StrictJson) ?? throw Invalid($"{name} is empty.");
        }
        catch (JsonException ex)
        {
            throw Invalid($"{name} is not valid: {ex.Message}");
        }
        catch (InvalidDataException)
        {
            throw Invalid($"{name} is corrupt in the zip archive.");
        }
    }

    private static async Task CheckFileAsync(ZipArchive zip, ExportManifestFile file, CancellationToken cancellationToken)
    {
        var entry = zip.GetEntry(file.Name) ?? throw Invalid($"The manifest lists {file.Name}, which is not in the archive.");
        string hash;
        long lines = 0;
        try
        {
            await using var stream = entry.Open();
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
            }
            hash = Convert.ToHexStringLower(sha.GetHashAndReset());
        }
        catch (InvalidDataException)
        {
            throw Invalid($"{file.Name} is corrupt in the zip archive.");
        }
        if (!string.Equals(hash, file.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid($"{file.Name} does not match its SHA-256 in the manifest: the archive was changed or damaged.");
        }
        if (file.Name.EndsWith(".ndjson", StringComparison.Ordinal) && lines != file.Count)
        {
            throw Invalid($"{file.Name} has {lines} rows; the manifest says {file.Count}.");
        }
    }
}

namespace Parley.Engine.Imports.Botpress;

/// <summary>
/// Maps a Botpress v12 bot archive (the <c>.tgz</c> that Export bot downloads): its flows into one Parley flow, its
/// Q&amp;A into knowledge texts, every node and entry in the report. The archive is read within
/// <see cref="BoundedTar"/>'s bounds and every JSON file within 64 levels of nesting.
/// </summary>
public static class BotpressBotImport
{
    /// <summary>Maps the archive; throws <see cref="ImportFileException"/> with the reasons when it cannot.</summary>
    public static FlowImport Map(ReadOnlyMemory<byte> archive) => new BotpressFlowMapper(BotpressArchive.Read(archive)).Map();
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Typebot;

/// <summary>
/// Maps a Typebot flow export (schema versions 3 to 6.1) to a Parley flow: each group is unrolled into a chain of
/// Parley blocks placed where the group was drawn, wires follow Typebot's edges (and its rule that a block without
/// an edge goes on to the next block of its group), and every block gets a line in the report saying whether it was
/// carried over exactly, approximately or not at all, and why. The result is validated like any saved flow.
/// </summary>
public static class TypebotFlowImport
{
    /// <summary>The Typebot schema versions read.</summary>
    public static IReadOnlyList<string> Versions => TypebotDocument.Versions;

    /// <summary>Maps the export; throws <see cref="ImportFileException"/> with the reasons when it cannot.</summary>
    public static FlowImport Map(ReadOnlyMemory<byte> json) => new TypebotFlowMapper(TypebotDocument.Parse(json)).Map();
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Parley.Client.Models;

namespace Parley.Client;

/// <summary>
/// The JSON of this assembly's models, with the options of <c>ClientJson</c>. A context of their own keeps them out of
/// Parley.Client, which the dashboard loads on its first page; this assembly loads with the pages that use it.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(AnalyticsSummaryResponse))]
[JsonSerializable(typeof(AnalyticsTimeseriesResponse))]
[JsonSerializable(typeof(AnalyticsLatencyResponse))]
[JsonSerializable(typeof(KnowledgeGapsResponse))]
[JsonSerializable(typeof(CreateExportRequest))]
[JsonSerializable(typeof(ExportResponse))]
[JsonSerializable(typeof(ImportResponse))]
[JsonSerializable(typeof(PlatformImportResponse))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(FlowDraftResponse))]
[JsonSerializable(typeof(FlowVersionResponse))]
[JsonSerializable(typeof(FlowVersionList))]
[JsonSerializable(typeof(FlowTestRunRequest))]
[JsonSerializable(typeof(FlowTestRunResponse))]
[JsonSerializable(typeof(FlowTemplateList))]
[JsonSerializable(typeof(FlowTemplateResponse))]
[JsonSerializable(typeof(LeadResponse))]
[JsonSerializable(typeof(Page<LeadResponse>))]
[JsonSerializable(typeof(UpdateLeadRequest))]
[JsonSerializable(typeof(LeadScoreResponse))]
[JsonSerializable(typeof(BookingResponse))]
[JsonSerializable(typeof(Page<BookingResponse>))]
[JsonSerializable(typeof(CancelBookingRequest))]
internal sealed partial class OperationsJson : JsonSerializerContext;

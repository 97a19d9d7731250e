using MudBlazor;

namespace Parley.Dashboard.Layout;

/// <summary>MudBlazor's palette with the status colours darkened until text in them meets WCAG AA contrast (axe checks it).</summary>
public static class ParleyTheme
{
    public static readonly MudTheme Light = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3F37C9",
            Error = "#B3261E",
            Success = "#1B5E20",
            Warning = "#7A4A00",
            Info = "#0B57D0",
        },
    };
}

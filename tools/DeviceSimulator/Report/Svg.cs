using System.Globalization;
using System.Net;
using System.Text;

namespace SecureOta.DeviceSimulator.Report;

/// <summary>
/// The HTML report's charts, drawn as inline SVG by this small writer (no script, no library, nothing
/// fetched: the page is one self-contained file). Each chart is a fixed-size viewBox with axes, ticks
/// and labels; values are given in data units and scaled here.
/// </summary>
public static class Svg
{
    public const int Width = 760, Height = 240, Left = 56, Right = 16, Top = 16, Bottom = 40;

    public static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    public static string Text(string s) => WebUtility.HtmlEncode(s);

    /// <summary>A histogram of values in bins over [0, max], with labelled vertical markers (e.g. the physical limit, the median).</summary>
    public static string Histogram(IReadOnlyList<double> values, int bins, string xLabel, IEnumerable<(string Label, double X, string Css)> markers)
    {
        var markerList = markers.ToList();
        double max = Math.Max(values.DefaultIfEmpty(0).Max(), markerList.Select(m => m.X).DefaultIfEmpty(0).Max()) * 1.05;
        if (max <= 0) max = 1;
        var counts = new int[bins];
        foreach (var v in values) counts[Math.Clamp((int)(v / max * bins), 0, bins - 1)]++;
        int top = Math.Max(1, counts.Max());
        var b = Frame(xLabel, "boards", max, top);
        double w = (double)(Width - Left - Right) / bins;
        for (int i = 0; i < bins; i++)
        {
            if (counts[i] == 0) continue;
            double h = (Height - Top - Bottom) * counts[i] / (double)top;
            b.Append($"<rect class=\"bar\" x=\"{Num(Left + i * w + 1)}\" y=\"{Num(Height - Bottom - h)}\" width=\"{Num(Math.Max(1, w - 2))}\" height=\"{Num(h)}\"><title>{counts[i]} boards</title></rect>");
        }
        foreach (var (label, x, css) in markerList)
        {
            double px = Left + (Width - Left - Right) * x / max;
            bool right = px > Left + (Width - Left - Right) * 0.6; /* a label near the right edge goes to the line's left */
            b.Append($"<line class=\"{css}\" x1=\"{Num(px)}\" x2=\"{Num(px)}\" y1=\"{Top}\" y2=\"{Height - Bottom}\"/>");
            b.Append($"<text class=\"marker {css}\" x=\"{Num(right ? px - 3 : px + 3)}\" y=\"{Top + 10 + 12 * markerList.FindIndex(m => m.Label == label)}\"{(right ? " text-anchor=\"end\"" : "")}>{Text(label)}</text>");
        }
        return b.Append("</svg>").ToString();
    }

    /// <summary>Step lines of cumulative counts over x (e.g. boards offered, boards confirmed, over modeled time).</summary>
    public static string Cumulative(IEnumerable<(string Label, string Css, IReadOnlyList<double> Xs)> series, string xLabel, int total)
    {
        var list = series.ToList();
        double max = Math.Max(1e-9, list.SelectMany(s => s.Xs).DefaultIfEmpty(1).Max()) * 1.05;
        var b = Frame(xLabel, "boards", max, Math.Max(1, total));
        double sx = (Width - Left - Right) / max, sy = (Height - Top - Bottom) / (double)Math.Max(1, total);
        int row = 0;
        foreach (var (label, css, xs) in list)
        {
            var sorted = xs.Order().ToList();
            var points = new StringBuilder($"{Num(Left)},{Num(Height - Bottom)}");
            for (int i = 0; i < sorted.Count; i++)
            {
                double x = Left + sorted[i] * sx;
                points.Append($" {Num(x)},{Num(Height - Bottom - i * sy)} {Num(x)},{Num(Height - Bottom - (i + 1) * sy)}");
            }
            b.Append($"<polyline class=\"line {css}\" points=\"{points}\"/>");
            b.Append($"<text class=\"legend {css}\" x=\"{Left + 8}\" y=\"{Top + 12 + 14 * row++}\">{Text(label)} ({sorted.Count})</text>");
        }
        return b.Append("</svg>").ToString();
    }

    /// <summary>Horizontal bars, one per row, with the value written after each.</summary>
    public static string Bars(IReadOnlyList<(string Label, double Value, string Css)> rows, string unit)
    {
        int rowHeight = 26, height = Top + rows.Count * rowHeight + 8, labelWidth = 330;
        double max = Math.Max(1e-9, rows.Select(r => r.Value).DefaultIfEmpty(1).Max());
        var b = new StringBuilder($"<svg viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\" role=\"img\">");
        for (int i = 0; i < rows.Count; i++)
        {
            var (label, value, css) = rows[i];
            double y = Top + i * rowHeight, w = (Width - labelWidth - 110) * value / max;
            b.Append($"<text class=\"label\" x=\"{labelWidth - 8}\" y=\"{Num(y + 14)}\" text-anchor=\"end\">{Text(label)}</text>");
            b.Append($"<rect class=\"bar {css}\" x=\"{labelWidth}\" y=\"{Num(y + 2)}\" width=\"{Num(Math.Max(1, w))}\" height=\"{rowHeight - 8}\"/>");
            b.Append($"<text class=\"value\" x=\"{Num(labelWidth + w + 6)}\" y=\"{Num(y + 14)}\">{Num(value)} {Text(unit)}</text>");
        }
        return b.Append("</svg>").ToString();
    }

    // The chart's frame: axes, five ticks on each with their values, axis labels.
    private static StringBuilder Frame(string xLabel, string yLabel, double xMax, double yMax)
    {
        var b = new StringBuilder($"<svg viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\">");
        b.Append($"<line class=\"axis\" x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\"/>");
        b.Append($"<line class=\"axis\" x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\"/>");
        for (int i = 0; i <= 4; i++)
        {
            double x = Left + (Width - Left - Right) * i / 4.0, y = Height - Bottom - (Height - Top - Bottom) * i / 4.0;
            b.Append($"<text class=\"tick\" x=\"{Num(x)}\" y=\"{Height - Bottom + 14}\" text-anchor=\"middle\">{Num(Math.Round(xMax * i / 4, 2))}</text>");
            b.Append($"<text class=\"tick\" x=\"{Left - 6}\" y=\"{Num(y + 4)}\" text-anchor=\"end\">{Num(Math.Round(yMax * i / 4.0, 1))}</text>");
        }
        b.Append($"<text class=\"axis-label\" x=\"{(Width + Left) / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\">{Text(xLabel)}</text>");
        b.Append($"<text class=\"axis-label\" x=\"12\" y=\"{(Height - Bottom + Top) / 2}\" transform=\"rotate(-90 12 {(Height - Bottom + Top) / 2})\" text-anchor=\"middle\">{Text(yLabel)}</text>");
        return b;
    }
}

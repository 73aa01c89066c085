using System.Globalization;

namespace TaskEvents.AppHost.Dashboard;

/// <summary>Reads the Prometheus text format into (series name, labels, value), enough to sum and diff the Api's metrics.</summary>
internal static class PrometheusText
{
    public static IEnumerable<(string Name, string Labels, double Value)> Parse(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{');
            var close = line.LastIndexOf('}');
            string name, labels, rest;
            if (brace >= 0 && close > brace)
            {
                name = line[..brace];
                labels = line[(brace + 1)..close];
                rest = line[(close + 1)..].Trim();
            }
            else
            {
                var space = line.IndexOf(' ');
                if (space < 0)
                {
                    continue;
                }

                name = line[..space];
                labels = "";
                rest = line[(space + 1)..].Trim();
            }

            var valueText = rest.Split(' ')[0];
            if (double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                yield return (name, labels, value);
            }
        }
    }

    /// <summary>The value of the <c>le</c> label of a histogram bucket (+Inf included).</summary>
    public static double UpperBound(string labels)
    {
        const string key = "le=\"";
        var start = labels.IndexOf(key, StringComparison.Ordinal);
        if (start < 0)
        {
            return double.NaN;
        }

        start += key.Length;
        var end = labels.IndexOf('"', start);
        var text = labels[start..end];
        return text == "+Inf" ? double.PositiveInfinity : double.Parse(text, CultureInfo.InvariantCulture);
    }
}

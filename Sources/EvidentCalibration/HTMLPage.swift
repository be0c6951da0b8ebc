/// The frame of every HTML report: one self-contained file that opens from disk with no
/// network and no JavaScript. Styles are inline; charts are inline SVG; and a Content
/// Security Policy forbids scripts and remote loads, so even a mistake in escaping
/// could not run code or call home.
enum HTMLPage {
    static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(HTMLText.escape(title))</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    static let css = """
        :root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0b5cad;
                --error: #b42318; --warn: #9a6700; --ok: #1a7f37; }
        * { box-sizing: border-box; }
        body { font: 15px/1.5 -apple-system, "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
               margin: 0 auto; max-width: 1180px; padding: 24px 32px 64px; background: #fff; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 20px; margin: 36px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
        h3 { font-size: 17px; margin: 22px 0 6px; }
        h4 { font-size: 14px; margin: 12px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
        p { margin: 6px 0; }
        .meta { color: var(--muted); margin: 0 0 12px; }
        .notice { background: #eef6ff; border: 1px solid #b6d4f5; border-radius: 6px; padding: 10px 14px; margin: 14px 0; }
        .notice.draft { background: #fff4e5; border-color: #e8a33d; }
        .suppressed { color: var(--muted); font-style: italic; }
        table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 14px; }
        th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
        th { background: var(--soft); font-weight: 600; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px 12px; margin: 14px 0; }
        .card h3 { margin-top: 4px; }
        .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
        ul { margin: 4px 0 8px; padding-left: 20px; }
        li { margin: 2px 0; }
        .tag { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; background: var(--soft);
               border: 1px solid var(--line); color: var(--muted); }
        .rating { font-weight: 600; }
        .error { color: var(--error); font-weight: 600; }
        .warning { color: var(--warn); font-weight: 600; }
        .ok { color: var(--ok); font-weight: 600; }
        .missing { color: var(--error); }
        code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--soft);
               padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
        a { color: var(--accent); }
        .chart { margin: 6px 0 12px; }
        .legend span { display: inline-block; margin-right: 14px; font-size: 13px; color: var(--muted); }
        .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 5px; border-radius: 2px; }
        .summary { border-left: 3px solid var(--accent); padding: 2px 0 2px 12px; margin: 8px 0; }
        blockquote { margin: 6px 0 10px; padding: 2px 0 2px 12px; border-left: 3px solid var(--line); }
        .voice { border-left: 3px solid var(--line); padding-left: 12px; }
        .voice.warning, .voice.error { font-weight: 400; border-left-color: currentColor; }
        ul.apart { color: var(--muted); }
        footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
        @media print { body { max-width: none; padding: 0; } .card { break-inside: avoid; } }
        """
}

/// Inline SVG bar charts. Every label goes through `HTMLText.escape` (SVG inside HTML
/// parses the same entities).
enum SVGChart {
    /// One colour per scale position, lowest rating first; repeats on long scales.
    static let palette = ["#c2453c", "#e4a23a", "#4a7fc1", "#2f9460", "#7d5bb5", "#3a9ca8", "#a0607f"]

    static func color(rank: Int) -> String { palette[rank % palette.count] }

    /// Bars per category, one bar per series, with counts on top.
    static func groupedBars(title: String, categories: [String], series: [(name: String, values: [Int])]) -> String {
        let chartHeight = 160.0
        let barWidth = 26.0
        let gap = 6.0
        let groupWidth = Double(series.count) * barWidth + Double(max(0, series.count - 1)) * gap
        // Wide enough for a label such as "Exceeds expectations" under each group.
        let slot = max(groupWidth + 28, 150)
        let groupGap = slot - groupWidth
        let width = 40 + Double(categories.count) * slot
        let height = chartHeight + 48
        let maxValue = max(1, series.flatMap(\.values).max() ?? 1)
        var svg = """
            <svg class="chart" role="img" aria-label="\(HTMLText.escape(title))" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" xmlns="http://www.w3.org/2000/svg">
            <title>\(HTMLText.escape(title))</title>
            <line x1="20" y1="\(Int(chartHeight + 20))" x2="\(Int(width - 10))" y2="\(Int(chartHeight + 20))" stroke="#d1d9e0"/>

            """
        for (categoryIndex, category) in categories.enumerated() {
            let x0 = 30 + Double(categoryIndex) * (groupWidth + groupGap)
            for (seriesIndex, entry) in series.enumerated() {
                let value = categoryIndex < entry.values.count ? entry.values[categoryIndex] : 0
                let barHeight = chartHeight * Double(value) / Double(maxValue)
                let x = x0 + Double(seriesIndex) * (barWidth + gap)
                let y = 20 + chartHeight - barHeight
                let opacity = seriesIndex == 0 && series.count > 1 ? "0.45" : "1"
                svg += """
                    <rect x="\(fmt(x))" y="\(fmt(y))" width="\(fmt(barWidth))" height="\(fmt(barHeight))" fill="\(color(rank: categoryIndex))" fill-opacity="\(opacity)"><title>\(HTMLText.escape("\(entry.name) \(category): \(value)"))</title></rect>
                    <text x="\(fmt(x + barWidth / 2))" y="\(fmt(y - 4))" font-size="12" text-anchor="middle" fill="#1f2328">\(value)</text>

                    """
            }
            svg += """
                <text x="\(fmt(x0 + groupWidth / 2))" y="\(Int(chartHeight + 38))" font-size="12" text-anchor="middle" fill="#59636e">\(HTMLText.escape(category))</text>

                """
        }
        svg += "</svg>"
        return svg
    }

    /// A 100% stacked bar of one distribution, one segment per rating.
    static func stackedBar(_ distribution: RatingDistribution, scale: RatingScale, label: String) -> String {
        let width = 260.0
        let height = 16.0
        var svg = """
            <svg role="img" aria-label="\(HTMLText.escape(label))" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" xmlns="http://www.w3.org/2000/svg"><title>\(HTMLText.escape(label))</title><rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#f6f8fa"/>
            """
        var x = 0.0
        for (rank, entry) in scale.entries.enumerated() {
            let count = distribution.count(entry.id)
            guard count > 0, distribution.total > 0 else { continue }
            let segment = width * Double(count) / Double(distribution.total)
            svg +=
                "<rect x=\"\(fmt(x))\" y=\"0\" width=\"\(fmt(segment))\" height=\"\(Int(height))\" fill=\"\(color(rank: rank))\"><title>\(HTMLText.escape("\(entry.label): \(count)"))</title></rect>"
            x += segment
        }
        svg += "</svg>"
        return svg
    }

    /// The colour key for a scale.
    static func legend(_ scale: RatingScale) -> String {
        "<p class=\"legend\">"
            + scale.entries.enumerated().map { rank, entry in
                "<span><i style=\"background:\(color(rank: rank))\"></i>\(HTMLText.escape(entry.label))</span>"
            }.joined() + "</p>"
    }

    private static func fmt(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

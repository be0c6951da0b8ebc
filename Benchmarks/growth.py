#!/usr/bin/env python3
"""Turn the growth measurements of `Benchmarks/run.sh --growth` into a table and an SVG plot.

    python3 Benchmarks/growth.py RAW_DIR OUT.md OUT.svg "1000 3000 10000 30000 100000" "LOAD_BEFORE" COMMIT

RAW_DIR holds, per size N, the hyperfine exports growth-N-cat.json and growth-N-check.json,
the peak memory of one check in MiB (growth-N-check-rss.txt), the repository size
(growth-N-size.txt: files, bytes, Markdown files), the generation time in seconds
(growth-N-generate.txt, absent when the repository was reused) and the check's summary
line (growth-N-check-summary.txt). Standard library only: the plot is written by hand.
"""
import json
import os
import sys

raw, out_md, out_svg = sys.argv[1], sys.argv[2], sys.argv[3]
sizes = [int(s) for s in sys.argv[4].split()]
load_before, commit = sys.argv[5], sys.argv[6]


def read(name):
    path = os.path.join(raw, name)
    return open(path).read().strip() if os.path.exists(path) else None


def hyperfine(size, name):
    text = read(f"growth-{size}-{name}.json")
    return json.loads(text)["results"][0] if text else None


rows = []
for size in sizes:
    check, cat = hyperfine(size, "check"), hyperfine(size, "cat")
    rss = read(f"growth-{size}-check-rss.txt")
    files = read(f"growth-{size}-size.txt")
    rows.append({
        "people": size,
        "check": check["median"] if check else None,
        "cpu": (check["user"] + check["system"]) if check else None,
        "cat": cat["median"] if cat else None,
        "rss": float(rss) if rss else None,
        "files": int(files.split()[0]) if files else None,
        "bytes": int(files.split()[1]) if files else None,
        "generate": read(f"growth-{size}-generate.txt"),
        "summary": read(f"growth-{size}-check-summary.txt"),
    })

by_people = {row["people"]: row for row in rows}
base = by_people.get(10000)


def fmt_s(value):
    return "–" if value is None else (f"{value:,.2f} s" if value < 100 else f"{value:,.0f} s")


def memory_text(value):
    return "–" if value is None else f"{value:,.0f} MiB"


lines = [
    "# Evident growth: time and memory against people",
    "",
    f"Release build of evident `{commit}`, `Benchmarks/run.sh --growth`: one synthetic organisation per size "
    "(`Benchmarks/generate.py`), warm file cache, hyperfine medians of `evident check` on the whole repository "
    "beside `cat` of every file, and the peak resident memory of one check. The 100,000-person targets "
    "(issue 18): at most 11× the 10,000-person time, at most 3 GB. Plot: [growth.svg](growth.svg).",
    "",
    "| people | files | MB | `cat` every file | `evident check` | × cat | CPU (user + system) | "
    "× 10,000-person check | peak memory | generated in |",
    "|---|---|---|---|---|---|---|---|---|---|",
]
for row in rows:
    ratio = f"{row['check'] / row['cat']:.2f}" if row["check"] and row["cat"] else "–"
    growth = f"{row['check'] / base['check']:.2f}×" if base and base["check"] and row["check"] else "–"
    lines.append(
        f"| {row['people']:,} | {row['files']:,} | {row['bytes'] / 1e6:,.0f} | {fmt_s(row['cat'])} | "
        f"{fmt_s(row['check'])} | {ratio} | {fmt_s(row['cpu'])} | {growth} | "
        f"{memory_text(row['rss'])} | "
        f"{'reused' if row['generate'] is None else fmt_s(float(row['generate']))} |"
        if row["files"] is not None else f"| {row['people']:,} | – | – | – | – | – | – | – | – | – |")
def clean(row):
    """A check that reported errors did not check what the others did: not a valid point."""
    return row is not None and row["summary"] is not None and " 0 errors" in row["summary"]


for row in rows:
    if row["summary"] and not clean(row):
        lines += ["", f"**{row['people']:,} people: the check reported errors ({row['summary']}), so its time and "
                  "memory are not comparable with the others; see the raw output "
                  f"`Benchmarks/work/raw/growth-{row['people']}-check.txt`.**"]
big = by_people.get(100000)
if big and not clean(big):
    lines += ["", "100,000 people: not judged, the check did not load the whole organisation."]
elif big and base and big["check"] and base["check"]:
    time_ok = big["check"] <= 11 * base["check"]
    memory_ok = big["rss"] is not None and big["rss"] <= 3 * 1024
    lines += [
        "",
        f"100,000 people: {big['check'] / base['check']:.1f}× the 10,000-person time (target ≤ 11×: "
        f"{'met' if time_ok else '**missed**'}), peak memory {big['rss']:,.0f} MiB (target ≤ 3 GB: "
        f"{'met' if memory_ok else '**missed**'}).",
    ]
lines += [""] + [f"- {row['people']:,} people: `evident check`: {row['summary']}" for row in rows if row["summary"]]
lines += ["", f"Load average before the run {load_before}, after {' '.join(open('/proc/loadavg').read().split()[:3])}."]
open(out_md, "w").write("\n".join(lines) + "\n")
print("\n".join(lines))

# --- the plot: two panels side by side, log-log, people on x ------------------------------
import math

W, H = 920, 400
PANEL_W, PANEL_H = 380, 290
LEFT, TOP = 70, 50


def log_scale(values, lo_pad=0.8, hi_pad=1.25):
    lo, hi = min(values) * lo_pad, max(values) * hi_pad
    return math.log10(lo), math.log10(hi)


def ticks(lo, hi):
    out = []
    for exponent in range(math.floor(lo) - 1, math.ceil(hi) + 1):
        for mantissa in (1, 2, 5):
            value = mantissa * 10 ** exponent
            if lo <= math.log10(value) <= hi:
                out.append(value)
    return out


def label(value, unit):
    if unit == "people":
        return f"{value / 1000:g}k" if value >= 1000 else f"{value:g}"
    if unit == "s":
        return f"{value:g} s"
    return f"{value:,.0f} MiB"


def panel(x0, title, series, unit, note):
    """A log-log panel: series is [(name, colour, dashed, [(people, value)])]."""
    points = [p for _, _, _, pts in series for p in pts]
    if not points:
        return []
    xs_lo, xs_hi = log_scale([p[0] for p in points], 0.8, 1.25)
    ys_lo, ys_hi = log_scale([p[1] for p in points])

    def x(v):
        return x0 + (math.log10(v) - xs_lo) / (xs_hi - xs_lo) * PANEL_W

    def y(v):
        return TOP + PANEL_H - (math.log10(v) - ys_lo) / (ys_hi - ys_lo) * PANEL_H

    svg = [f'<text x="{x0 + PANEL_W / 2}" y="{TOP - 22}" text-anchor="middle" font-weight="bold">{title}</text>',
           f'<text x="{x0 + PANEL_W / 2}" y="{TOP - 8}" text-anchor="middle" font-size="11" fill="#555">{note}</text>',
           f'<rect x="{x0}" y="{TOP}" width="{PANEL_W}" height="{PANEL_H}" fill="none" stroke="#999"/>']
    for value in ticks(ys_lo, ys_hi):
        svg.append(f'<line x1="{x0}" x2="{x0 + PANEL_W}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#eee"/>')
        svg.append(f'<text x="{x0 - 6}" y="{y(value) + 4:.1f}" text-anchor="end" font-size="11">'
                   f'{label(value, unit)}</text>')
    for value in sorted({p[0] for p in points}):
        svg.append(f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="{TOP}" y2="{TOP + PANEL_H}" stroke="#eee"/>')
        svg.append(f'<text x="{x(value):.1f}" y="{TOP + PANEL_H + 16}" text-anchor="middle" font-size="11">'
                   f'{label(value, "people")}</text>')
    svg.append(f'<text x="{x0 + PANEL_W / 2}" y="{TOP + PANEL_H + 34}" text-anchor="middle" font-size="12">'
               'people (log scale)</text>')
    shown = [entry for entry in series if entry[3]]
    svg.append(f'<rect x="{x0 + PANEL_W - 206}" y="{TOP + PANEL_H - 26 - 16 * (len(series) - 1)}" width="202" '
               f'height="{16 * len(series) + 6}" fill="white" fill-opacity="0.85"/>' if shown else "")
    for index, (name, colour, dashed, pts) in enumerate(series):
        if not pts:
            continue
        dash = ' stroke-dasharray="5,4"' if dashed else ""
        path = " ".join(f"{x(px):.1f},{y(py):.1f}" for px, py in pts)
        svg.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        svg += [f'<circle cx="{x(px):.1f}" cy="{y(py):.1f}" r="3" fill="{colour}"/>' for px, py in pts if not dashed]
        # The legend in the lower right corner, which lines rising to the right leave empty.
        legend_x, legend_y = x0 + PANEL_W - 200, TOP + PANEL_H - 12 - 16 * (len(series) - 1 - index)
        svg.append(f'<line x1="{legend_x}" x2="{legend_x + 24}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
                   f'stroke="{colour}" stroke-width="2"{dash}/>')
        svg.append(f'<text x="{legend_x + 30}" y="{legend_y}" font-size="11">{name}</text>')
    return svg


timed = [r for r in rows if r["check"] and clean(r)]
linear = []
if base and base["check"]:
    # The line a linear checker would follow through the 10,000-person point.
    linear = [(r["people"], base["check"] * r["people"] / 10000) for r in timed]
time_series = [
    ("evident check", "#1f77b4", False, [(r["people"], r["check"]) for r in timed]),
    ("its CPU time (user + system)", "#9467bd", False, [(r["people"], r["cpu"]) for r in timed]),
    ("cat of every file", "#2ca02c", False, [(r["people"], r["cat"]) for r in timed if r["cat"]]),
    ("linear through 10,000", "#999999", True, linear),
]
memory_rows = [r for r in rows if r["rss"] and clean(r)]
memory_series = [
    ("peak memory of evident check", "#d62728", False, [(r["people"], r["rss"]) for r in memory_rows]),
    ("3 GB target", "#999999", True,
     [(memory_rows[0]["people"], 3072), (memory_rows[-1]["people"], 3072)] if memory_rows else []),
]
body = panel(LEFT, "Time (median, warm cache)", time_series, "s", f"release {commit}, log-log")
body += panel(LEFT + PANEL_W + 90, "Peak memory", memory_series, "MiB", "maximum resident set of one check")
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
       'font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>', *body, "</svg>"]
open(out_svg, "w").write("\n".join(svg) + "\n")

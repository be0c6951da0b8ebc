#!/usr/bin/env python3
"""Turn the raw measurements of Benchmarks/run.sh into the Markdown results table.

    python3 Benchmarks/report.py RAW_DIR OUT.md "1000 10000" "LOAD_BEFORE" COMMIT

RAW_DIR holds hyperfine JSON exports (<size>-<name>.json), peak memory in MiB
(<size>-<name>-rss.txt), the LSP client's JSON (<size>-lsp.json), skip notes
(<size>-<name>.skip) and repository sizes (<size>-size.txt). Standard library only.
"""
import json, os, platform, statistics, subprocess, sys

raw, out, sizes, load_before, commit = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3].split()], sys.argv[4], sys.argv[5]

def read(name):
    path = os.path.join(raw, name)
    return open(path).read().strip() if os.path.exists(path) else None

def runs(size, name, command_index=0):
    text = read(f"{size}-{name}.json")
    if text is None:
        return None
    result = json.loads(text)["results"][command_index]
    return result

def ms(seconds):
    value = seconds * 1000
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"

def cpu():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"

def memory():
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "unknown"

rows = []  # (label, {size: median seconds}, {size: note}, rss by size, target)
def median(size, name, index=0):
    result = runs(size, name, index)
    return result["median"] if result else None

def rss(size, name):
    value = read(f"{size}-{name}-rss.txt")
    return float(value) if value else None

def lsp(size):
    text = read(f"{size}-lsp.json")
    return json.loads(text) if text else None

big = sizes[-1]
cat_big, cmark_big = median(big, "cat"), median(big, "cmark")
check_big, staged_big = median(big, "check"), median(big, "staged")
staged_floor_big = median(big, "staged", 1)
changed_big = median(big, "changed")
signoff_big, commit_big = median(big, "signoff", 0), median(big, "signoff", 1)
lsp_big = lsp(big)

def verdict(ok):
    return "–" if ok is None else ("met" if ok else "**missed**")

check_rss = rss(big, "check")
check_growth = (median(sizes[-1], "check") / median(sizes[0], "check")) if len(sizes) > 1 and median(sizes[0], "check") else None
people_ratio = sizes[-1] / sizes[0] if len(sizes) > 1 else None
# Targets of issue 18 (the third performance round), at the largest size.
table = [
    ("I/O floor: `cat` every file", "cat", 0, None, "", None),
    ("parse floor: `cmark-gfm` every Markdown file", "cmark", 0, None, "", None),
    ("`evident check` (whole repository)", "check", 0, "check", "≤ 2× cat, ≤ 500 MB, linear",
     None if None in (check_big, cat_big, check_rss) else
     check_big <= 2 * cat_big and check_rss <= 500 and (check_growth is None or check_growth <= 1.1 * people_ratio)),
    ("`evident check` on one core (`taskset -c 0`)", "check-1core", 0, None, "a figure", None),
    ("`evident check --changed-since HEAD~1` (a commit touching one review)", "changed", 0, "changed",
     "≤ 10% of the full check",
     None if None in (changed_big, check_big) else changed_big <= 0.1 * check_big),
    ("`evident check --staged` (one changed review)", "staged", 0, "staged", "≤ 2× git diff --cached",
     None if None in (staged_big, staged_floor_big) else staged_big <= 2 * staged_floor_big),
    ("`git diff --cached --name-only` (same index: the staged floor)", "staged", 1, None, "", None),
    ("`evident signoff` (one review)", "signoff", 0, "signoff", "≤ 25 ms",
     None if signoff_big is None else signoff_big <= 0.025),
    ("`git commit --allow-empty` (same repository)", "signoff", 1, None, "", None),
]

lines = []
head = "| Measurement | " + " | ".join(f"{s:,} people" for s in sizes) + " |"
if len(sizes) > 1:
    head += f" Growth {sizes[0]:,}→{sizes[-1]:,} |"
head += f" × cat floor | × cmark floor | Peak RSS ({' / '.join(f'{s:,}' for s in sizes)}) | Target ({big:,}) | |"
lines.append(head)
lines.append("|" + "---|" * (head.count("|") - 1))
for label, name, index, rss_name, target, ok in table:
    values = [median(s, name, index) for s in sizes]
    skip = read(f"{big}-{name}.skip")
    cells = [ms(v) if v is not None else ("skipped" if skip else "–") for v in values]
    row = f"| {label} | " + " | ".join(cells) + " |"
    if len(sizes) > 1:
        row += f" {values[-1] / values[0]:.1f}× |" if None not in (values[0], values[-1]) else " – |"
    last = values[-1]
    # Ratios to the floors mean something for whole-repository work only.
    whole = name in ("cat", "cmark", "check", "check-1core")
    row += f" {last / cat_big:.2f} |" if whole and last is not None and cat_big else " – |"
    row += f" {last / cmark_big:.2f} |" if whole and last is not None and cmark_big else " – |"
    memory_cells = [rss(s, rss_name) if rss_name else None for s in sizes]
    row += " " + (" / ".join(f"{m:.0f} MB" for m in memory_cells if m is not None) or "–") + " |"
    row += f" {target} | {verdict(ok) if target else ''} |"
    lines.append(row)
lsp_values = [lsp(s) for s in sizes]
row = "| language server: one edit → diagnostics (median) | " + " | ".join(
    (f"{v['median_ms']:.1f} ms" if v else "skipped") for v in lsp_values) + " |"
if len(sizes) > 1:
    row += f" {lsp_values[-1]['median_ms'] / lsp_values[0]['median_ms']:.1f}× |" if all(lsp_values) else " – |"
row += f" – | – | – | ≤ 10 ms | {verdict(None if lsp_big is None else lsp_big['median_ms'] <= 10)} |"
lines.append(row)
# Completion and hover right after each edit (lsp_roundtrip.py --requests).
for method in ("completion", "hover"):
    key = method + "_median_ms"
    if not any(v and key in v for v in lsp_values):
        continue
    cells = [v.get(key) if v else None for v in lsp_values]
    row = f"| language server: {method} right after an edit (median) | " + " | ".join(
        (f"{c:.1f} ms" if c is not None else "skipped") for c in cells) + " |"
    if len(sizes) > 1:
        row += f" {cells[-1] / cells[0]:.1f}× |" if all(cells) else " – |"
    row += f" – | – | – | ≤ 10 ms | {verdict(None if cells[-1] is None else cells[-1] <= 10)} |"
    lines.append(row)

notes = []
for s in sizes:
    size = read(f"{s}-size.txt")
    if size:
        files, bytes_, markdown = size.split()
        notes.append(f"- {s:,} people: {int(files):,} files ({int(markdown):,} Markdown), "
                     f"{int(bytes_) / 1e6:.1f} MB; `evident check`: {read(f'{s}-check-summary.txt') or '?'}; "
                     f"staged review `{read(f'{s}-review.txt')}`.")
    v = lsp(s)
    if v:
        notes.append(f"  Language server at {s:,}: open → first diagnostics {v['open_ms']:.0f} ms (cold, "
                     f"includes preloading the organisation files); edits p90 {v['p90_ms']:.1f} ms, "
                     f"max {v['max_ms']:.1f} ms over {len(v['edits_ms'])} edits.")
    changed, full = median(s, "changed"), median(s, "check")
    if changed is not None and full:
        notes.append(f"  `check --changed-since` at {s:,}: {changed / full:.1%} of the full check.")
    for name in ("changed", "staged", "signoff", "lsp"):
        skip = read(f"{s}-{name}.skip")
        if skip:
            notes.append(f"  {name} at {s:,}: {skip}")
    check = runs(s, "check")
    if check:
        notes.append(f"  `evident check` at {s:,} used {check['user']:.2f} s user + {check['system']:.2f} s system CPU "
                     f"(mean); on two otherwise idle cores that is at best {(check['user'] + check['system']) / 2 * 1000:,.0f} ms of wall time.")
    sign = runs(s, "signoff", 0), runs(s, "signoff", 1)
    if all(sign):
        notes.append(f"  Sign-off at {s:,}: `git commit --allow-empty` takes "
                     f"{sign[1]['median'] / sign[0]['median']:.1f}× as long as `evident signoff`.")

swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
machine = (f"{os.cpu_count()} cores (nproc {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()}), "
           f"{cpu()}, {memory()} RAM, {platform.system()} {platform.release()}; "
           f"{swift[0] if swift else 'swift ?'}; load average before the run {load_before}, "
           f"after {' '.join(open('/proc/loadavg').read().split()[:3])}.")
text = "\n".join([
    "# Evident benchmark results",
    "",
    f"Release build of evident `{commit}`, warm file cache, medians of hyperfine runs "
    "(`Benchmarks/run.sh`). Ratios compare with the floors on the same repository, at the largest size; "
    "growth is the larger size's median over the smaller's (10× the people is linear at 10×). "
    "Peak RSS is the maximum resident set of one run. The floors run in one process each "
    "(`xargs` batches files into `cat` / `cmark-gfm` calls one after another); evident uses every core.",
    "",
    *lines,
    "",
    *notes,
    "",
    *[line for s in sizes if os.path.exists(f"{raw}/{s}-signoffs.md")
      for line in [f"### Sign-off history at {s:,} people", "", open(f"{raw}/{s}-signoffs.md").read().rstrip(), ""]],
    f"Machine: {machine}",
    "",
])
open(out, "w").write(text)
print(text)

#!/usr/bin/env python3
"""Turn the raw measurements of `Benchmarks/run.sh --hostile` into results/hostile.md.

    python3 Benchmarks/hostile_report.py RAW OUT LOAD COMMIT CASE... -- LSP_CASE...

Per check case: `cat` of the same files and `evident check` (hyperfine medians), CPU time
and peak memory from `/usr/bin/time -v`, the output's size and its summary counts. Per
language-server case: didOpen, the median edit round trip and the server's CPU per edit.
Standard library only.
"""

import json
import os
import re
import sys


def main():
    raw, out, load, commit = sys.argv[1:5]
    rest = sys.argv[5:]
    cases, lsp_cases = rest[:rest.index("--")], rest[rest.index("--") + 1:]
    sizes = {}
    with open(os.path.join(raw, "hostile-files.txt")) as listing:
        for line in listing:
            case, _, _, size = line.split()
            sizes[case] = sizes.get(case, 0) + int(size)
    rows = [
        "| case | input | `cat` (median) | `evident check` (median) | CPU (user + sys) | peak memory | output | shown |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case in cases:
        with open(os.path.join(raw, f"hostile-{case}.json")) as export:
            results = json.load(export)["results"]
        cat, check = (result["median"] * 1000 for result in results)
        with open(os.path.join(raw, f"hostile-{case}.time")) as timing_file:
            timing = timing_file.read()

        def field(name):
            return float(re.search(re.escape(name) + r".*: ([\d.]+)", timing).group(1))

        rss = field("Maximum resident set size (kbytes)") / 1024
        cpu = field("User time (seconds)") + field("System time (seconds)")
        output_path = os.path.join(raw, f"hostile-{case}.out")
        with open(output_path, encoding="utf-8", errors="replace") as output:
            summary = output.read().strip().splitlines()[-1]
        counts = re.search(r"\d+ errors?, \d+ warnings?", summary)
        shown = counts.group(0) if counts else summary
        rows.append(
            f"| {case} | {sizes[case] / 1e6:.2f} MB | {cat:.1f} ms | {check:,.0f} ms | {cpu:.2f} s | "
            f"{rss:,.0f} MiB | {os.path.getsize(output_path) / 1e3:,.1f} kB | {shown} |")
    rows += [
        "",
        "| language server buffer | size | didOpen | edit → diagnostics (median) | server CPU per edit |",
        "|---|---|---|---|---|",
    ]
    for case in lsp_cases:
        with open(os.path.join(raw, f"hostile-{case}.json")) as export:
            data = json.load(export)
        if not data:
            rows.append(f"| {case} | {sizes[case] / 1e6:.2f} MB | no answer | | |")
            continue
        cpu = data.get("cpu_ms_per_edit")
        cpu_text = "" if cpu is None else f"{cpu:,.0f} ms"
        rows.append(
            f"| {case} | {sizes[case] / 1e6:.2f} MB | {data['open_ms']:,.0f} ms | {data['median_ms']:,.0f} ms | "
            f"{cpu_text} |")
    text = (
        f"# Hostile input\n\nRelease build `{commit}`, load average before the run {load} "
        f"({os.cpu_count()} cores). Cases from `Benchmarks/hostile.py`. Targets: any file under the "
        f"8 MiB limit checks in under 3 s and 300 MB; a language-server edit of a 1 MB buffer answers "
        f"in under 1 s.\n\n" + "\n".join(rows) + "\n")
    with open(out, "w") as result:
        result.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env bash
# Evident benchmarks: one command, side by side with the floors it cannot beat.
#
#   Benchmarks/run.sh            # 1,000 and 10,000 people, full run counts
#   Benchmarks/run.sh --quick    # 1,000 people only, fewer runs (a smoke test)
#   Benchmarks/run.sh --hostile  # only the hostile-input rows (Benchmarks/hostile.py)
#   Benchmarks/run.sh --growth   # only the growth series: 1k, 3k, 10k, 30k, 100k people
#   Benchmarks/run.sh --all      # the full table, then the growth series (issue 18's figures)
#
# Options: --sizes "1000 10000"  people counts to run (default as above; with --growth
#                                "1000 3000 10000 30000 100000")
#          --no-build            use the existing release binary
#          --hostile             instead of the organisations: one huge hostile file per
#                                case (300,000 bad citations, 500,000 disallowed links, ...),
#                                check time, peak memory and output size beside `cat` of
#                                the same files, and language-server edits of 0.78-1.56 MB
#                                buffers; writes Benchmarks/results/hostile.md
#          --growth              instead of the full table: per size, `evident check` beside
#                                `cat` of every file (3 runs each) and the peak memory of a
#                                check; writes Benchmarks/results/growth.md and growth.svg
#                                (time and memory against people, log-log). Generating
#                                100,000 people takes some 15 minutes and 3 GB of disk once
#
# Builds the release binary, generates (or reuses) synthetic repositories under
# Benchmarks/work/, warms the file cache, and times with hyperfine on each repository:
#   cat floor     every file of the repository read to /dev/null (find | xargs cat)
#   cmark floor   cmark-gfm over every Markdown file (find | xargs cmark-gfm)
#   check         evident check on the whole repository, and again on one core (taskset -c 0)
#   changed since evident check --changed-since HEAD~1 after a commit touching one review
#                 (a pull request's CI run), beside the full check
#   check staged  evident check --staged with one changed review staged, and beside it
#                 git diff --cached --name-only (listing the staged paths: its floor)
#   signoff       evident signoff of one review, and git commit --allow-empty beside it
#   lsp edit      one language-server edit: didChange → publishDiagnostics (median of N),
#                 and a completion and a hover right after each edit
#   sign-offs     status over ~2 sign-offs per person, warm and cold cache, beside git log
#                 (Benchmarks/signoffs.sh, which also compares with an older build)
# and measures peak memory (max RSS). Writes Benchmarks/results/latest.md and prints it.
# Needs: swift, python3, git, hyperfine, cmark-gfm (scripts/setup.sh installs them).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/Benchmarks/work
RESULTS=$ROOT/Benchmarks/results
RAW=$WORK/raw
SIZES="1000 10000"
QUICK=0
BUILD=1
HOSTILE=0
GROWTH=0
ALL=0
GROWTH_SIZES="1000 3000 10000 30000 100000"
SIZES_GIVEN=0
for arg in "$@"; do [ "$arg" = --sizes ] && SIZES_GIVEN=1; done
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1; SIZES="1000" ;;
        --sizes) SIZES="$2"; shift ;;
        --no-build) BUILD=0 ;;
        --hostile) HOSTILE=1 ;;
        --growth) GROWTH=1 ;;
        --all) ALL=1 ;;
        -h|--help) sed -n '2,39p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done

missing=0
if [ $GROWTH = 1 ] && [ $SIZES_GIVEN = 0 ]; then SIZES=$GROWTH_SIZES; fi
if [ $GROWTH = 1 ]; then GROWTH_SIZES=$SIZES; fi

for tool in hyperfine cmark-gfm git python3 swift taskset; do
    if ! command -v "$tool" > /dev/null; then
        echo "error: '$tool' is not installed." >&2
        missing=1
    fi
done
if [ $missing = 1 ]; then
    echo "Install the benchmark tools with: sudo apt-get install -y hyperfine cmark-gfm git python3" >&2
    echo "(or run scripts/setup.sh, which installs them)." >&2
    exit 2
fi

if [ $QUICK = 1 ]; then RUNS_SLOW=3; RUNS_FAST=5; WARMUP=1; EDITS=10
else RUNS_SLOW=10; RUNS_FAST=20; WARMUP=2; EDITS=40; fi

# --- build ------------------------------------------------------------------------
# The binary as it would be distributed: release, with the Swift runtime and Foundation
# linked statically. Dynamic linking of those libraries alone costs some 12 ms per start,
# which a pre-commit hook and a sign-off pay on every run.
RELEASE_FLAGS=(-c release --static-swift-stdlib --scratch-path .build-release)
if [ $BUILD = 1 ]; then
    echo "==> swift build ${RELEASE_FLAGS[*]}" >&2
    swift build "${RELEASE_FLAGS[@]}" >&2
fi
EVIDENT=$(swift build "${RELEASE_FLAGS[@]}" --show-bin-path)/evident
[ -x "$EVIDENT" ] || { echo "error: no release binary at $EVIDENT (run without --no-build)" >&2; exit 2; }

mkdir -p "$WORK" "$RAW" "$RESULTS"
GENERATOR_STAMP=$(sha256sum Benchmarks/generate.py | cut -c1-16)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# --- hostile input -------------------------------------------------------------------
# One huge file per case, under the 8 MiB limit, in a copy of examples/acme. Targets:
# any such file checks in under 3 s and 300 MB; a language-server edit of a 1 MB buffer
# answers in under 1 s. `cat` of the same files is the floor, timed in the same run.
if [ $HOSTILE = 1 ]; then
    HOSTILE_WORK=$WORK/hostile
    CASES="citations citations-3 citations-8m autolinks vague evidence"
    LSP_CASES="lsp-40k lsp-52k lsp-80k"
    echo "==> generating hostile cases into $HOSTILE_WORK" >&2
    python3 Benchmarks/hostile.py --out "$HOSTILE_WORK" --cases "$(echo $CASES $LSP_CASES | tr ' ' ',')" \
        > "$RAW/hostile-files.txt"
    for CASE in $CASES; do
        cd "$HOSTILE_WORK/$CASE"
        FILES=$(awk -v c="$CASE" '$1 == c {print $3}' "$RAW/hostile-files.txt" | tr '\n' ' ')
        echo "==> hostile case $CASE ($FILES)" >&2
        # shellcheck disable=SC2086
        hyperfine --style basic --export-json "$RAW/hostile-$CASE.json" --warmup 1 --runs 3 -i -N \
            "cat $FILES" "$EVIDENT check" >&2
        /usr/bin/time -v "$EVIDENT" check > "$RAW/hostile-$CASE.out" 2> "$RAW/hostile-$CASE.time" || true
        cd "$ROOT"
    done
    for CASE in $LSP_CASES; do
        echo "==> language server, $CASE" >&2
        python3 Benchmarks/lsp_roundtrip.py --evident "$EVIDENT" --repo "$HOSTILE_WORK/$CASE" \
            --file cycles/2026-h2/alice/review.md --edits 6 --timeout 600 > "$RAW/hostile-$CASE.json" \
            || echo '{}' > "$RAW/hostile-$CASE.json"
    done
    # shellcheck disable=SC2086
    python3 Benchmarks/hostile_report.py "$RAW" "$RESULTS/hostile.md" "$LOAD_BEFORE" \
        "$(git rev-parse --short HEAD)" $CASES -- $LSP_CASES
    exit 0
fi

# Peak resident memory of one command, in MiB (getrusage of the waited child). Its output
# goes to $EVIDENT_OUT if set, else nowhere.
peak_rss() {
    python3 - "$@" <<'EOF'
import os, resource, subprocess, sys
out = open(os.environ["EVIDENT_OUT"], "w") if os.environ.get("EVIDENT_OUT") else subprocess.DEVNULL
subprocess.run(sys.argv[1:], stdout=out, stderr=subprocess.STDOUT if out is not subprocess.DEVNULL else out)
print(round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1))
EOF
}

# hyperfine wrapper: NAME then hyperfine arguments; JSON goes to $RAW/<size>-NAME.json.
bench() {
    local name=$1; shift
    hyperfine --style basic --export-json "$RAW/$SIZE-$name.json" "$@" >&2
}

# Generates (or reuses) the repository of $SIZE people, cds into it, writes its size to
# $RAW/<prefix>$SIZE-size.txt (and the generation time to ...-generate.txt) and warms the
# file cache.
prepare() {
    local prefix=$1
    REPO=$WORK/people-$SIZE
    rm -f "$RAW/$prefix$SIZE-generate.txt"
    if [ -d "$REPO/.git" ] && [ "$(cat "$WORK/people-$SIZE.stamp" 2>/dev/null)" = "$GENERATOR_STAMP" ] \
        && [ -z "$(git -C "$REPO" status --porcelain)" ]; then
        echo "==> reusing $REPO" >&2
    else
        echo "==> generating $SIZE people into $REPO" >&2
        rm -f "$WORK/people-$SIZE.stamp"
        local started=$SECONDS
        python3 Benchmarks/generate.py --people "$SIZE" --out "$REPO"
        echo $((SECONDS - started)) > "$RAW/$prefix$SIZE-generate.txt"
        echo "$GENERATOR_STAMP" > "$WORK/people-$SIZE.stamp"
    fi
    cd "$REPO"
    # Drop sign-off and benchmark commits left by an earlier run: the check reads history.
    git update-ref refs/heads/main "$(git rev-list --max-parents=0 HEAD)"
    git reset -q --hard
    FILES=$(find . -path ./.git -prune -o -type f -print | wc -l)
    BYTES=$(find . -path ./.git -prune -o -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
    MARKDOWN=$(find . -path ./.git -prune -o -type f -name '*.md' -print | wc -l)
    echo "$FILES $BYTES $MARKDOWN" > "$RAW/$prefix$SIZE-size.txt"
    # Warm the file cache.
    for _ in 1 2; do find . -type f -print0 | xargs -0 cat > /dev/null; done
}

# --- growth series ---------------------------------------------------------------------
# Time and memory against people, for the plot: few runs, since 100,000 people take a
# minute per check.
growth_series() {
    for SIZE in $GROWTH_SIZES; do
        prepare growth-
        echo "==> growth: $SIZE people" >&2
        # The first check, whose output gives the summary line, measures the peak memory
        # and is hyperfine's warm-up.
        EVIDENT_OUT="$RAW/growth-$SIZE-check.txt" peak_rss "$EVIDENT" check > "$RAW/growth-$SIZE-check-rss.txt"
        tail -1 "$RAW/growth-$SIZE-check.txt" > "$RAW/growth-$SIZE-check-summary.txt"
        hyperfine --style basic --export-json "$RAW/growth-$SIZE-cat.json" --warmup 1 --runs 3 \
            "find . -path ./.git -prune -o -type f -print0 | xargs -0 cat > /dev/null" >&2
        hyperfine --style basic --export-json "$RAW/growth-$SIZE-check.json" --runs 3 -i -N "$EVIDENT check" >&2
        cd "$ROOT"
    done
    python3 Benchmarks/growth.py "$RAW" "$RESULTS/growth.md" "$RESULTS/growth.svg" "$GROWTH_SIZES" \
        "$(cut -d' ' -f1-3 /proc/loadavg)" "$(git rev-parse --short HEAD)"
}
if [ $GROWTH = 1 ]; then
    growth_series
    exit 0
fi

for SIZE in $SIZES; do
    prepare ""

    # The check must be clean for the timing to mean anything (and hyperfine stops on
    # a failing command): show a summary of what it found if not.
    if ! "$EVIDENT" check > "$RAW/$SIZE-check.txt" 2>&1; then
        echo "warning: evident check reports errors on the generated repository:" >&2
        tail -5 "$RAW/$SIZE-check.txt" >&2
        IGNORE=(-i)
    else
        IGNORE=()
    fi
    tail -1 "$RAW/$SIZE-check.txt" > "$RAW/$SIZE-check-summary.txt"

    echo "==> $SIZE people: floors and check" >&2
    bench cat --warmup "$WARMUP" --min-runs "$RUNS_SLOW" \
        "find . -path ./.git -prune -o -type f -print0 | xargs -0 cat > /dev/null"
    bench cmark --warmup "$WARMUP" --min-runs "$RUNS_SLOW" \
        "find . -path ./.git -prune -o -type f -name '*.md' -print0 | xargs -0 cmark-gfm > /dev/null"
    bench check --warmup "$WARMUP" --min-runs "$RUNS_SLOW" "${IGNORE[@]}" -N "$EVIDENT check"
    peak_rss "$EVIDENT" check > "$RAW/$SIZE-check-rss.txt"
    # The same on one core: what a single-CPU CI runner would see.
    bench check-1core --warmup 1 --min-runs "$RUNS_SLOW" "${IGNORE[@]}" -N "taskset -c 0 $EVIDENT check"

    # --- check --staged with one changed review -------------------------------------------
    PERSON=$(python3 - <<'EOF'
import os
folders = sorted(os.listdir("cycles/2026-h2"))
for name in folders[len(folders) // 2:]:
    if os.path.exists(f"cycles/2026-h2/{name}/review.md"):
        print(name)
        break
EOF
)
    REVIEW=cycles/2026-h2/$PERSON/review.md
    echo "$REVIEW" > "$RAW/$SIZE-review.txt"
    if "$EVIDENT" check --help 2>/dev/null | grep -q -- '--staged'; then
        printf '\nA sentence added for the staged-check benchmark.\n' >> "$REVIEW"
        git add "$REVIEW"
        "$EVIDENT" check --staged > "$RAW/$SIZE-staged.txt" 2>&1 || true
        # Beside it, its floor: git itself listing the staged paths of the same index.
        bench staged --warmup "$WARMUP" --min-runs "$RUNS_FAST" -i -N "$EVIDENT check --staged" \
            "git diff --cached --name-only"
        peak_rss "$EVIDENT" check --staged > "$RAW/$SIZE-staged-rss.txt"
        git restore --staged --worktree "$REVIEW"
    else
        echo "skipped: this evident has no 'check --staged'" > "$RAW/$SIZE-staged.skip"
    fi

    # --- check --changed-since: a pull request touching one review ---------------------------
    # One commit on top changes one review; CI checks what changed since its parent.
    if "$EVIDENT" check --help 2>/dev/null | grep -q -- '--changed-since'; then
        START=$(git rev-parse HEAD)
        printf '\nA sentence added for the changed-since benchmark.\n' >> "$REVIEW"
        git -c user.name=Benchmark -c user.email=bench@acme.example commit -q -m "benchmark: one review" "$REVIEW"
        "$EVIDENT" check --changed-since HEAD~1 > "$RAW/$SIZE-changed.txt" 2>&1 || true
        bench changed --warmup "$WARMUP" --min-runs "$RUNS_FAST" -i -N "$EVIDENT check --changed-since HEAD~1"
        peak_rss "$EVIDENT" check --changed-since HEAD~1 > "$RAW/$SIZE-changed-rss.txt"
        git update-ref refs/heads/main "$START"
        git reset -q --hard
    else
        echo "skipped: this evident has no 'check --changed-since'" > "$RAW/$SIZE-changed.skip"
    fi

    # --- sign-off against git commit --allow-empty ----------------------------------------
    if "$EVIDENT" signoff --help > /dev/null 2>&1; then
        MANAGER=$(python3 - "$PERSON" <<'EOF'
import re, sys
person = sys.argv[1]
text = open("people.yaml", encoding="utf-8").read()
block = re.search(r"  - id: %s\n((?:    .*\n)*)" % re.escape(person), text).group(1)
manager = re.search(r"    manager: (\S+)", block).group(1)
print(manager)
EOF
)
        git config user.name "Benchmark Manager"
        git config user.email "$MANAGER@acme.example"
        START=$(git rev-parse HEAD)
        bench signoff --warmup "$WARMUP" --min-runs "$RUNS_FAST" -N \
            "$EVIDENT signoff $REVIEW --as manager" \
            "git commit -q --allow-empty -m benchmark"
        peak_rss "$EVIDENT" signoff "$REVIEW" --as manager > "$RAW/$SIZE-signoff-rss.txt"
        git update-ref refs/heads/main "$START"
        git config --unset user.name; git config --unset user.email
    else
        echo "skipped: this evident has no 'signoff'" > "$RAW/$SIZE-signoff.skip"
    fi

    # --- language server edit round trip -----------------------------------------------
    if "$EVIDENT" lsp --help > /dev/null 2>&1; then
        if ! python3 "$ROOT/Benchmarks/lsp_roundtrip.py" --evident "$EVIDENT" --repo . --file "$REVIEW" \
            --edits "$EDITS" --requests > "$RAW/$SIZE-lsp.json"; then
            echo "skipped: the language server did not answer" > "$RAW/$SIZE-lsp.skip"
        fi
    else
        echo "skipped: this evident has no 'lsp'" > "$RAW/$SIZE-lsp.skip"
    fi
    # --- reading and judging a history of sign-offs (status), beside git log ----------
    "$ROOT/Benchmarks/signoffs.sh" "$REPO" "$EVIDENT" > "$RAW/$SIZE-signoffs.md" \
        || echo "skipped: Benchmarks/signoffs.sh failed" > "$RAW/$SIZE-signoffs.md"
    cd "$ROOT"
done

# --- report -------------------------------------------------------------------------
python3 Benchmarks/report.py "$RAW" "$RESULTS/latest.md" "$SIZES" "$LOAD_BEFORE" "$(git rev-parse --short HEAD)"
if [ $ALL = 1 ]; then growth_series; fi

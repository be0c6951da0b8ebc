#!/usr/bin/env bash
# Builds a fuzzer (libFuzzer + AddressSanitizer) and runs it for a bounded time.
#
#   fuzz/run.sh [seconds]                          the loader fuzzer, default 60 s
#   FUZZ_TARGET=CheckFuzzer fuzz/run.sh [seconds]  a whole check: loader, rules, reporters
#   FUZZ_ARGS="-len_control=0 -timeout=3" fuzz/run.sh   extra libFuzzer flags
#
# Seeds: the example organisation, the hostile-input corpus (Tests/Fixtures/hostile), the
# schema fixtures and every past finding (fuzz/regressions), each prefixed with the byte
# that selects its document kind. The growing corpus stays in fuzz/work/corpus (ignored
# by git) between runs; findings are written to fuzz/work/artifacts/ (for the check
# fuzzer: corpus-CheckFuzzer/ and artifacts-CheckFuzzer/). One run at a time: both
# targets build in fuzz/.build.
#
# libFuzzer stops at the first crash; the run restarts until the time is used up, so one
# run reports every distinct crash it meets. Prints executions and crashes, and exits 1
# when there were crashes, timeouts or out-of-memory findings.
set -euo pipefail

seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
configuration=${FUZZ_CONFIGURATION:-release}
target=${FUZZ_TARGET:-LoaderFuzzer}
case "$target" in
    LoaderFuzzer) corpus=work/corpus artifacts=work/artifacts ;;
    CheckFuzzer) corpus=work/corpus-$target artifacts=work/artifacts-$target ;;
    *) echo "fuzz/run.sh: FUZZ_TARGET must be LoaderFuzzer or CheckFuzzer" >&2; exit 2 ;;
esac
cd "$here"

echo "building $target ($configuration, -sanitize=fuzzer,address)..." >&2
mkdir -p work
if ! swift build -c "$configuration" --scratch-path .build --product "$target" \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address > work/build.log 2>&1; then
    grep -v "Cannot export local symbol" work/build.log >&2
    echo "fuzz/run.sh: build failed" >&2
    exit 2
fi
binary=$(swift build -c "$configuration" --scratch-path .build --show-bin-path \
    -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address)/$target
[ -x "$binary" ] || { echo "fuzz/run.sh: build failed" >&2; exit 2; }

# The kind byte of a seed: the index of its kind in FuzzTarget.paths.
kind_of() {
    case "$1" in
        *evident.yaml | evident--*) echo 0 ;;
        *people.yaml | people--*) echo 1 ;;
        *values.md | values--*) echo 2 ;;
        *metrics.yaml | metrics--*) echo 3 ;;
        */levels/* | level--*) echo 4 ;;
        */teams/* | team--*) echo 5 ;;
        *cycle.yaml | cycle--*) echo 6 ;;
        *evidence.md | evidence--*) echo 7 ;;
        *self.md | self--*) echo 8 ;;
        */peer-* | peer--*) echo 9 ;;
        *) echo 10 ;;
    esac
}

mkdir -p "$corpus" "$artifacts"
rm -rf work/seeds && mkdir -p work/seeds
count=0
while IFS= read -r -d '' file; do
    kind=$(kind_of "${file#"$root"/}")
    { printf "\\$(printf '%03o' "$kind")"; cat "$file"; } > "work/seeds/$count-$(basename "$file")"
    count=$((count + 1))
done < <(find "$root/examples/acme" "$root/Tests/Fixtures/hostile" "$root/Tests/Fixtures/schema-invalid" \
    -type f ! -name '.*' -print0)
# Past findings are stored with their kind byte already.
[ -d regressions ] && cp regressions/* work/seeds/ 2>/dev/null || true

before=$(ls "$artifacts" | wc -l)
deadline=$(($(date +%s) + seconds))
executions=0
restarts=0
while :; do
    remaining=$((deadline - $(date +%s)))
    [ "$remaining" -gt 0 ] || break
    log=work/last-run-$target.log
    set +e
    SWIFT_BACKTRACE=enable=no "$binary" "$corpus" work/seeds -max_total_time="$remaining" -timeout=10 -rss_limit_mb=4096 \
        -max_len=65536 -dict=loader.dict -artifact_prefix="$artifacts/" -print_final_stats=1 -detect_leaks=0 \
        ${FUZZ_ARGS:-} > "$log" 2>&1
    status=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    if [ -z "$runs" ]; then runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true); fi
    executions=$((executions + ${runs:-0}))
    if [ "$status" -eq 0 ]; then break; fi
    grep -E "ERROR|Fatal error|runtime failure|SUMMARY|Test unit written" "$log" | head -5 >&2 || true
    # A finding among the seeds or the corpus would stop every restart at once: drop
    # copies of it (it is kept in work/artifacts).
    finding=$(grep -o 'Test unit written to [^ ]*' "$log" | tail -1 | sed 's/Test unit written to //' || true)
    if [ -n "$finding" ] && [ -f "$finding" ]; then
        for copy in work/seeds/* "$corpus"/*; do
            [ -f "$copy" ] && cmp -s "$copy" "$finding" && rm -f "$copy"
        done
    fi
    restarts=$((restarts + 1))
    [ "$restarts" -lt 50 ] || break
done

new=$(($(ls "$artifacts" | wc -l) - before))
echo "$target executions: $executions"
echo "crashes: $(ls "$artifacts" | grep -c '^crash-' || true) (new this run: $new findings of any kind)"
echo "timeouts: $(ls "$artifacts" | grep -c '^timeout-' || true), out of memory: $(ls "$artifacts" | grep -c '^oom-' || true)"
echo "corpus: $(ls "$corpus" | wc -l) inputs in fuzz/$corpus; findings in fuzz/$artifacts"
[ "$new" -eq 0 ]

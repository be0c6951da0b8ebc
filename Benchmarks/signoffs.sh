#!/usr/bin/env bash
# The cost of reading and judging sign-offs, beside git doing the same walk.
#
#   Benchmarks/signoffs.sh REPO EVIDENT [BASELINE_EVIDENT]
#
# REPO is a repository made by Benchmarks/generate.py (Benchmarks/run.sh leaves them in
# Benchmarks/work/people-N). Appends one sign-off commit per review and role (manager and
# skip-level: about 2 per person) with Benchmarks/signoff_history.py, then times with
# hyperfine:
#   git log floor   git reading every commit's Evident-Signoff trailer
#   status warm     evident status with its sign-off cache in place
#   status cold     evident status after deleting .git/evident (a new clone, a new CI job)
#   signoff         one more sign-off, and git commit --allow-empty beside it
# With BASELINE_EVIDENT (an older build) the status and signoff rows are timed for it
# too, in the same run. Restores the branch and removes the caches afterwards. Prints
# a Markdown table; run.sh appends it to Benchmarks/results/latest.md.
set -euo pipefail
REPO=$1
EVIDENT=$2
BASELINE=${3:-}
HERE=$(cd "$(dirname "$0")" && pwd)
RAW=$(mktemp -d)
trap 'rm -rf "$RAW"' EXIT
cd "$REPO"
START=$(git rev-parse HEAD)
COUNT=$(python3 "$HERE/signoff_history.py" --repo .)
restore() { git update-ref refs/heads/main "$START"; rm -rf .git/evident; }
trap 'restore; rm -rf "$RAW"' EXIT
PERSON=$(ls cycles/2026-h2 | sed -n '2p')
MANAGER_EMAIL=$(git log -1 --format=%ce --grep="^Sign off $PERSON's .* as manager$" HEAD)

median() { python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results']; print(' '.join(f\"{x['median']*1000:.0f}\" for x in r))" "$1"; }

hyperfine --style basic --warmup 2 --min-runs 10 -N --export-json "$RAW/floor.json" \
    "git log --format=%(trailers:key=Evident-Signoff,valueonly) HEAD" >&2
binaries=("$EVIDENT")
[ -n "$BASELINE" ] && binaries+=("$BASELINE")
rows=""
for binary in "${binaries[@]}"; do
    rm -rf .git/evident
    "$binary" status > /dev/null
    hyperfine --style basic --warmup 1 --runs 3 -N --export-json "$RAW/warm.json" "$binary status" >&2
    hyperfine --style basic --runs 3 --prepare "rm -rf .git/evident" -N --export-json "$RAW/cold.json" "$binary status" >&2
    TIP=$(git rev-parse HEAD)
    git config user.email "$MANAGER_EMAIL"
    hyperfine --style basic --warmup 2 --min-runs 10 -N --export-json "$RAW/signoff.json" \
        "$binary signoff cycles/2026-h2/$PERSON/review.md --as manager" "git commit -q --allow-empty -m benchmark" >&2
    git update-ref refs/heads/main "$TIP"
    git config --unset user.email
    read -r signoff commit < <(median "$RAW/signoff.json")
    rows+="| \`$binary\` | $(median "$RAW/warm.json") ms | $(median "$RAW/cold.json") ms | $signoff ms | $commit ms |"$'\n'
done
echo "Sign-offs: $COUNT sign-off commits over $(ls cycles/2026-h2 | wc -l) person folders; \`git log\` reading every commit's Evident-Signoff trailer: $(median "$RAW/floor.json") ms (hyperfine medians)."
echo
echo "| binary | \`status\`, cache warm | \`status\`, no cache | \`signoff\` | \`git commit --allow-empty\` |"
echo "|---|---|---|---|---|"
printf '%s' "$rows"

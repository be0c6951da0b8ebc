#!/usr/bin/env bash
# A sealed review repository at scale, side by side with the same repository unsealed,
# in one run.
#
#   Benchmarks/sealed.sh [--people N] [--runs N] [--no-build]
#
# Generates N people (default 10,000) with Benchmarks/generate.py, gives every person an
# ed25519 key (ssh-keygen) and adds a `ci` person (role ci, reads everything), then
# commits the same files twice: unsealed, and with `sealing: { enabled: true }`, every
# cycle file sealed through Evident's git filter. Times with hyperfine (medians):
#   clone     git clone with checkout; the sealed one as `ci` with the filter (opens every file)
#   status    git status on a clean work tree; and after touching every cycle file
#   check     evident check of the whole clone (ci's work tree holds plaintext): the first
#             run after the clone, one with no seal-facts cache, then the usual ones
#   staged    evident check --staged with one review changed and added
# Writes Benchmarks/results/sealed.md with ratios against the unsealed repository and the
# load average. Needs hyperfine, ssh-keygen, git, python3.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
PEOPLE=10000
RUNS=5
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --people) PEOPLE="$2"; shift ;;
        --runs) RUNS="$2"; shift ;;
        --no-build) BUILD=0 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
for tool in hyperfine ssh-keygen git python3; do
    command -v "$tool" > /dev/null || { echo "error: '$tool' is not installed (scripts/setup.sh installs it)" >&2; exit 2; }
done

SCRATCH=.build-release
if [ $BUILD = 1 ]; then swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" >&2; fi
EVIDENT=${EVIDENT_BINARY:-$ROOT/$SCRATCH/release/evident}   # EVIDENT_BINARY: try the script with another build
[ -x "$EVIDENT" ] || { echo "error: no release binary at $EVIDENT (drop --no-build)" >&2; exit 2; }

WORK=$ROOT/Benchmarks/work/sealed
RAW=$WORK/raw
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
export GIT_CONFIG_NOSYSTEM=1 HOME=$WORK
GIT_ID=(-c user.name="Evident Benchmarks" -c user.email=bench@acme.example)

# --- the two repositories (reused while the generator and this script's layout are unchanged) ---
# The generated files with their keys are kept apart from the two repositories made from
# them, so an interrupted run starts again from the repositories, not from the keys.
# 4: the repositories made with layout 3 were sealed by a filter that left `## Private`
# bodies in plaintext inside the sealed files (check reported 2,025 of them).
# 5: `ci` has no manager; layout 4 made it report to a calibrator of the leadership group,
# a genuine calibrator-conflict warning in both repositories.
LAYOUT=5
STAMP="$(sha256sum Benchmarks/generate.py | cut -c1-16)-$PEOPLE-$LAYOUT"
if [ "$(cat "$WORK/stamp" 2>/dev/null)" != "$STAMP" ]; then
  if [ "$(cat "$WORK/generated.stamp" 2>/dev/null)" != "$STAMP" ]; then
    rm -rf "$WORK"
    mkdir -p "$WORK/keys" "$RAW"
    echo "==> generating $PEOPLE people" >&2
    python3 Benchmarks/generate.py --people "$PEOPLE" --out "$WORK/generated" --no-git > /dev/null
    echo "==> one ed25519 key per person" >&2
    { sed -n 's/^  - id: //p' "$WORK/generated/people.yaml"; echo ci; } \
        | xargs -P 4 -I{} ssh-keygen -q -t ed25519 -N '' -C {} -f "$WORK/keys/{}"
    python3 - "$WORK" <<'EOF'
import os, sys
work = sys.argv[1]
path = os.path.join(work, "generated", "people.yaml")
lines = open(path).read().splitlines()
out = []
# The generator gives role hr (reads every file) to 1 person in 97: 103 at 10,000, which
# would put 100 stanzas (14 KB) in every sealed file. Two hr readers, as an organisation
# keeps for recovery, and ci: a service, with no manager (reporting to a calibrator would be
# a calibrator-conflict finding).
hr = 0
for line in lines:
    if line == "    roles: [hr]":
        hr += 1
        if hr > 2:
            continue
    out.append(line)
    if line.startswith("  - id: "):
        person = line[len("  - id: "):]
        key = " ".join(open(os.path.join(work, "keys", person + ".pub")).read().split()[:2])
        out.append(f'    signing_key: "{key}"')
level = next(l.split(": ")[1] for l in lines if l.startswith("    level: eng-"))
team = next(l.split(": ")[1] for l in lines if l.startswith("    team: "))
ci_key = " ".join(open(os.path.join(work, "keys", "ci.pub")).read().split()[:2])
out += ["  - id: ci", "    name: Continuous Integration", "    email: ci@acme.example", f"    level: {level}",
        f"    team: {team}", "    roles: [ci]", f'    signing_key: "{ci_key}"']
open(path, "w").write("\n".join(out) + "\n")
EOF
    echo "$STAMP" > "$WORK/generated.stamp"
  fi
    rm -rf "$WORK/plain" "$WORK/sealed" "$WORK"/clone-*
    mkdir -p "$RAW"
    for KIND in plain sealed; do
        cp -R "$WORK/generated" "$WORK/$KIND"
        git -C "$WORK/$KIND" init -q -b main
        git -C "$WORK/$KIND" config gc.auto 0
    done
    printf '\nsealing:\n  enabled: true\n' >> "$WORK/sealed/evident.yaml"
    (cd "$WORK/sealed" && git config evident.identity "$WORK/keys/ci" && "$EVIDENT" seal setup > /dev/null)
    echo "==> committing the unsealed repository" >&2
    git -C "$WORK/plain" add -A
    git -C "$WORK/plain" "${GIT_ID[@]}" commit -q -m generated
    echo "==> sealing every cycle file through the filter and committing" >&2
    START=$(date +%s.%N)
    git -C "$WORK/sealed" add -A
    END=$(date +%s.%N)
    python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$START" "$END" > "$RAW/seal-add-seconds.txt"
    git -C "$WORK/sealed" "${GIT_ID[@]}" commit -q -m generated
    for KIND in plain sealed; do git -C "$WORK/$KIND" gc -q --prune=now; done
    echo "$STAMP" > "$WORK/stamp"
fi

# --- what was built is what is claimed ---------------------------------------------
REVIEW=$(git -C "$WORK/plain" ls-files 'cycles/*/review.md' | tail -1)
git -C "$WORK/sealed" cat-file -p "HEAD:$REVIEW" | head -c 34 | grep -q -- "-----BEGIN AGE ENCRYPTED FILE-----"
git -C "$WORK/plain" cat-file -p "HEAD:$REVIEW" | head -c 3 | grep -q -- "---"
SEALED_FILES=$(git -C "$WORK/sealed" ls-files 'cycles/*/*/*.md' | wc -l)
FILES=$(git -C "$WORK/plain" ls-files | wc -l)

CLONE_PLAIN=$WORK/clone-plain
CLONE_SEALED=$WORK/clone-sealed
FILTER="-c filter.evident.process='$EVIDENT seal filter-process' -c filter.evident.required=true -c evident.identity=$WORK/keys/ci"

echo "==> clone with checkout" >&2
hyperfine --style basic --runs "$RUNS" --export-json "$RAW/clone.json" \
    -n "git clone (unsealed)" --prepare "rm -rf '$CLONE_PLAIN'" "git clone -q '$WORK/plain' '$CLONE_PLAIN'" \
    -n "git clone as ci, filter opening every file (sealed)" --prepare "rm -rf '$CLONE_SEALED'" \
    "git clone -q $FILTER '$WORK/sealed' '$CLONE_SEALED'" >&2
# The last runs' clones stay for what follows: ci's work tree holds plaintext, both clean.
head -c 3 "$CLONE_SEALED/$REVIEW" | grep -q -- "---"
[ -z "$(git -C "$CLONE_PLAIN" status --porcelain)" ] && [ -z "$(git -C "$CLONE_SEALED" status --porcelain)" ]

echo "==> git status" >&2
hyperfine --style basic --warmup 2 --runs $((RUNS * 2)) --export-json "$RAW/status.json" \
    -n "git status, clean (unsealed)" "git -C '$CLONE_PLAIN' status --porcelain" \
    -n "git status, clean (sealed)" "git -C '$CLONE_SEALED' status --porcelain" >&2
hyperfine --style basic --runs 2 --export-json "$RAW/status-touched.json" \
    -n "git status after touching every cycle file (unsealed)" \
    --prepare "find '$CLONE_PLAIN/cycles' -type f -exec touch {} +" "git -C '$CLONE_PLAIN' status --porcelain" \
    -n "git status after touching every cycle file (sealed)" \
    --prepare "find '$CLONE_SEALED/cycles' -type f -exec touch {} +" "git -C '$CLONE_SEALED' status --porcelain" >&2
[ -z "$(git -C "$CLONE_SEALED" status --porcelain)" ]

echo "==> evident check" >&2
# The clone's filter left what check keeps of each sealed blob (whom it is sealed to) in
# .git/evident/seal-facts-*: kept aside, so "first run" starts from the clone's own state.
# The verdicts a check remembers (seal-verdicts-* per file, seal-folder-verdicts-* per
# person folder) are no part of that state: removed before each first run and each run
# with no cache, so those judge every file again.
FACTS=$RAW/clone-seal-facts
rm -rf "$FACTS" && mkdir -p "$FACTS"
cp "$CLONE_SEALED"/.git/evident/seal-facts-* "$FACTS"/ \
    || { echo "error: the sealed clone left no seal-facts cache" >&2; exit 1; }
[ -z "$(ls "$CLONE_SEALED"/.git/evident/seal-verdicts-* "$CLONE_SEALED"/.git/evident/seal-folder-verdicts-* 2>/dev/null)" ] \
    || { echo "error: the clone's filter wrote verdicts; only a check judges files" >&2; exit 1; }
(cd "$CLONE_PLAIN" && "$EVIDENT" check > "$RAW/check-plain.txt" 2>&1) || true
(cd "$CLONE_SEALED" && EVIDENT_IDENTITY=$WORK/keys/ci "$EVIDENT" check > "$RAW/check-sealed.txt" 2>&1) || true
hyperfine --style basic --runs 2 -i --export-json "$RAW/check-first.json" \
    -n "evident check, first run after the clone (unsealed)" "cd '$CLONE_PLAIN' && '$EVIDENT' check > /dev/null" \
    -n "evident check, first run after the clone (sealed, as ci, the cache the clone left)" \
    --prepare "rm -f '$CLONE_SEALED'/.git/evident/seal-facts-* '$CLONE_SEALED'/.git/evident/seal-verdicts-* '$CLONE_SEALED'/.git/evident/seal-folder-verdicts-* && cp '$FACTS'/* '$CLONE_SEALED'/.git/evident/" \
    "cd '$CLONE_SEALED' && '$EVIDENT' check > /dev/null" >&2
# With no cache at all (a clone made by an older filter, or the cache deleted), check
# reads and opens every sealed blob.
hyperfine --style basic --runs 2 -i --export-json "$RAW/check-cold.json" \
    -n "evident check, first run (unsealed)" "cd '$CLONE_PLAIN' && '$EVIDENT' check > /dev/null" \
    -n "evident check, first run (sealed, as ci, no seal-facts cache)" \
    --prepare "rm -f '$CLONE_SEALED'/.git/evident/seal-facts-* '$CLONE_SEALED'/.git/evident/seal-verdicts-* '$CLONE_SEALED'/.git/evident/seal-folder-verdicts-*" \
    "cd '$CLONE_SEALED' && '$EVIDENT' check > /dev/null" >&2
hyperfine --style basic --warmup 1 --runs "$RUNS" -i --export-json "$RAW/check.json" \
    -n "evident check (unsealed)" "cd '$CLONE_PLAIN' && '$EVIDENT' check > /dev/null" \
    -n "evident check (sealed, as ci)" "cd '$CLONE_SEALED' && '$EVIDENT' check > /dev/null" >&2

echo "==> evident check --staged of one changed review" >&2
for CLONE in "$CLONE_PLAIN" "$CLONE_SEALED"; do
    printf '\nOne more sentence for the benchmark.\n' >> "$CLONE/$REVIEW"
    git -C "$CLONE" add "$REVIEW"
done
git -C "$CLONE_SEALED" cat-file -p ":$REVIEW" | head -c 34 | grep -q -- "-----BEGIN AGE ENCRYPTED FILE-----"
(cd "$CLONE_SEALED" && EVIDENT_IDENTITY=$WORK/keys/ci "$EVIDENT" check --staged > "$RAW/staged-sealed.txt" 2>&1) || true
(cd "$CLONE_PLAIN" && "$EVIDENT" check --staged > "$RAW/staged-plain.txt" 2>&1) || true
hyperfine --style basic --warmup 2 --runs $((RUNS * 2)) -i --export-json "$RAW/staged.json" \
    -n "evident check --staged (unsealed)" "cd '$CLONE_PLAIN' && '$EVIDENT' check --staged > /dev/null" \
    -n "evident check --staged (sealed, as ci)" "cd '$CLONE_SEALED' && EVIDENT_IDENTITY='$WORK/keys/ci' '$EVIDENT' check --staged > /dev/null" >&2

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
mkdir -p "$ROOT/Benchmarks/results"
python3 - "$RAW" "$PEOPLE" "$FILES" "$SEALED_FILES" "$REVIEW" "$(git -C "$ROOT" rev-parse --short HEAD)" \
    "$LOAD_BEFORE" "$LOAD_AFTER" "$(cat "$RAW/seal-add-seconds.txt")" > "$ROOT/Benchmarks/results/sealed.md" <<'EOF'
import json, os, sys
raw, people, files, sealed, review, commit, before, after, add_seconds = sys.argv[1:10]
def medians(name):
    return [r["median"] for r in json.load(open(os.path.join(raw, name)))["results"]]
def ms(seconds):
    # Truncated, not rounded, below 100 ms: 99.97 ms must not print as "100.0 ms" beside "met".
    return f"{seconds * 1000:,.0f} ms" if seconds >= 0.1 else f"{int(seconds * 10000) / 10:.1f} ms"
def first_line(name):
    lines = [l for l in open(os.path.join(raw, name)).read().splitlines() if l.strip()]
    return lines[-1] if lines else "(no output)"
rows = [
    ("`git clone` with checkout (sealed: as `ci`, the filter opens every file)", "clone.json", "≤ 2× unsealed", 2.0),
    ("`git status`, clean work tree", "status.json", "≤ 1.2× unsealed", 1.2),
    ("`git status` after touching every cycle file", "status-touched.json", "", None),
    ("`evident check`, whole repository, first run in the new clone (sealed: the cache its filter left)",
     "check-first.json", "", None),
    ("`evident check`, whole repository, with no seal-facts cache (sealed: every blob read and opened)",
     "check-cold.json", "", None),
    ("`evident check`, whole repository", "check.json", "unchanged within noise", None),
    ("`evident check --staged`, one changed review", "staged.json", "< 100 ms", "100ms"),
]
print(f"# Sealed repository at {int(people):,} people (release build `{commit}`)\n")
print("`Benchmarks/sealed.sh`: the same generated repository committed twice, unsealed and with every "
      f"cycle file sealed ({int(sealed):,} of {int(files):,} files) through Evident's git filter to its readers' "
      "ed25519 keys; every person has a key, and `ci` (role ci) reads everything. Hyperfine medians, "
      "both sides in the same run, one after the other.\n")
print("| measurement | unsealed | sealed | sealed ÷ unsealed | target | |")
print("|---|---|---|---|---|---|")
for label, name, target, limit in rows:
    plain, seal = medians(name)
    ratio = seal / plain
    if limit is None:
        verdict = ""
    elif limit == "100ms":
        verdict = "met" if seal < 0.1 else "**missed**"
    else:
        verdict = "met" if ratio <= limit else "**missed**"
    print(f"| {label} | {ms(plain)} | {ms(seal)} | {ratio:.2f}× | {target} | {verdict} |")
print()
print(f"- Sealing every cycle file (`git add -A` through the clean filter, once, not repeated): {add_seconds} s.")
print(f"- `evident check` printed, unsealed: `{first_line('check-plain.txt')}`; sealed: `{first_line('check-sealed.txt')}`.")
print(f"- Staged review `{review}`; `--staged` printed, unsealed: `{first_line('staged-plain.txt')}`; "
      f"sealed: `{first_line('staged-sealed.txt')}`.")
print(f"- Load average before the run {before}, after {after}. The machine (2 cores) is shared with other "
      "work while this runs, so absolute times are noisy; the ratios compare runs made side by side in the "
      "same minutes.")
EOF
cat "$ROOT/Benchmarks/results/sealed.md"

#!/usr/bin/env bash
# Sealing throughput: Evident's git filter against the age CLI on the same file, in one run.
#
#   Benchmarks/seal.sh [--size-mib N] [--no-build]
#
# Makes a review repository with sealing on and one reader key (ssh-keygen), a text file
# of N MiB (default 16), and times with hyperfine (medians):
#   seal   git hash-object --path (runs the clean filter: Evident seals)  vs  age -R -a
#          and git hash-object --no-filters (git hashing alone, the floor); and the clean
#          filter on unchanged text (it opens the stored blob and gives it back)
#   open   git cat-file --filters (runs the smudge filter: Evident opens)  vs  age -d -i
#          and git cat-file -p (git reading the blob alone, the floor)
# Each Evident row is one process start of the filter: startup (about 20 ms) included.
# Writes Benchmarks/results/seal.md and prints it. Needs hyperfine, age, ssh-keygen, git.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SIZE=16
BUILD=1
while [ $# -gt 0 ]; do
    case "$1" in
        --size-mib) SIZE="$2"; shift ;;
        --no-build) BUILD=0 ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
    esac
    shift
done
for tool in hyperfine age ssh-keygen git python3; do
    command -v "$tool" > /dev/null || { echo "error: '$tool' is not installed (scripts/setup.sh installs it)" >&2; exit 2; }
done

SCRATCH=.build-release
if [ $BUILD = 1 ]; then swift build -c release --static-swift-stdlib --scratch-path "$SCRATCH" >&2; fi
EVIDENT=$ROOT/$SCRATCH/release/evident
[ -x "$EVIDENT" ] || { echo "error: no release binary at $EVIDENT (drop --no-build)" >&2; exit 2; }

WORK=$ROOT/Benchmarks/work/seal
rm -rf "$WORK"
mkdir -p "$WORK/repo/cycles/c/alice"
cd "$WORK"
ssh-keygen -q -t ed25519 -N '' -C reader -f key
KEY=$(cut -d' ' -f1,2 key.pub)
cat key.pub > recipients.txt
cat > repo/evident.yaml <<EOF
evident: 1
organization: Bench
ratings: [{ id: meets, label: Meets }]
sealing: { enabled: true, readers: { review: [manager] } }
EOF
cat > repo/people.yaml <<EOF
people:
  - { id: dana, name: Dana, email: d@x, level: l, team: t, signing_key: "$KEY" }
  - { id: alice, name: Alice, email: a@x, level: l, team: t, manager: dana }
EOF
python3 - "$SIZE" > plain.md <<'EOF'
import sys, random
random.seed(1)
words = "evidence review shipped latency design incident mentor customer rollout".split()
target = int(sys.argv[1]) * 1024 * 1024
out, size = [], 0
while size < target:
    line = " ".join(random.choice(words) for _ in range(12)) + "\n"
    out.append(line); size += len(line)
sys.stdout.write("".join(out)[:target])
EOF
cp plain.md repo/cycles/c/alice/review.md
cd repo
git init -q -b main
git config user.email b@x && git config user.name B
export EVIDENT_IDENTITY=$WORK/key HOME=$WORK
"$EVIDENT" seal setup > /dev/null
git add -A && git commit -q -m bench
age -R ../recipients.txt -a -o ../plain.age ../plain.md
PATHNAME=cycles/c/alice/review.md

# Sealing: a path not in the index (self.md, read by alice's manager dana), so the clean
# filter seals. Unchanged: the committed review's own text, so the filter opens the stored
# blob, compares and gives it back (what git status pays for a file it must re-check).
hyperfine --warmup 1 --runs 10 --export-json ../seal.json \
    -n "git hash-object --no-filters (floor)" "git hash-object --no-filters ../plain.md" \
    -n "evident clean filter (seal)" "git hash-object --path cycles/c/alice/self.md ../plain.md" \
    -n "evident clean filter (unchanged: stored blob back)" "git hash-object --path $PATHNAME ../plain.md" \
    -n "age -R -a (seal)" "age -R ../recipients.txt -a -o /dev/null ../plain.md" >&2
hyperfine --warmup 1 --runs 10 --export-json ../open.json \
    -n "git cat-file -p (floor)" "git cat-file -p HEAD:$PATHNAME > /dev/null" \
    -n "evident smudge filter (open)" "git cat-file --filters HEAD:$PATHNAME > /dev/null" \
    -n "age -d -i (open)" "age -d -i ../key -o /dev/null ../plain.age" >&2

# The filter really sealed and opened: the stored blob is armoured, and smudge gives the text back.
git cat-file -p HEAD:$PATHNAME > ../stored.age
head -c 34 ../stored.age | grep -q -- "-----BEGIN AGE ENCRYPTED FILE-----"
git cat-file --filters HEAD:$PATHNAME > ../opened.md
cmp -s ../opened.md ../plain.md
git hash-object -w --path cycles/c/alice/self.md ../plain.md > ../sealed.id
git cat-file -p "$(cat ../sealed.id)" | age -d -i ../key | cmp -s - ../plain.md

mkdir -p "$ROOT/Benchmarks/results"
python3 - "$SIZE" ../seal.json ../open.json "$(git -C "$ROOT" rev-parse --short HEAD)" > "$ROOT/Benchmarks/results/seal.md" <<'EOF'
import json, sys, platform, os
size = int(sys.argv[1])
print(f"# Sealing throughput ({size} MiB text file, one reader, commit {sys.argv[4]})\n")
print(f"{os.cpu_count()} cores, {platform.machine()}; hyperfine medians of 10 runs; each row one process.\n")
print("| measurement | median | MiB/s |")
print("|---|---|---|")
for path in sys.argv[2:4]:
    for result in json.load(open(path))["results"]:
        median = result["median"]
        print(f"| {result['command']} | {median * 1000:.0f} ms | {size / median:.0f} |")
EOF
cat "$ROOT/Benchmarks/results/seal.md"

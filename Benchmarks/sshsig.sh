#!/usr/bin/env bash
# SSH signature verification of N signed commits, three ways in one run: in process
# (ed25519, swift-crypto), through `ssh-keygen -Y verify`, and with `git verify-commit`.
#
#   Benchmarks/sshsig.sh [--commits N] [--runs R]     (defaults: 200 commits, 5 runs)
#
# Builds the benchmark in release (the same scratch path and flags as run.sh), then
# writes Benchmarks/results/sshsig.md and prints it. Needs swift, git and ssh-keygen.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in swift git ssh-keygen; do
    command -v "$tool" >/dev/null || { echo "error: $tool is not on PATH (scripts/setup.sh installs it)" >&2; exit 2; }
done
swift build -c release --static-swift-stdlib --scratch-path .build-release --product evident-sshsig-benchmark >&2
out=Benchmarks/results/sshsig.md
load=$(cut -d" " -f1-3 /proc/loadavg)
.build-release/release/evident-sshsig-benchmark "$@" > "$out.tmp"
{ echo "# SSH signature verification"; echo; echo "Run on $(date -u +%Y-%m-%d) at $(git rev-parse --short HEAD), $(nproc) cores, load average $load before it, $(ssh -V 2>&1)."; echo; cat "$out.tmp"; } > "$out"
rm -f "$out.tmp"
cat "$out"

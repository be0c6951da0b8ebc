#!/usr/bin/env bash
# Runs the whole test suite: Swift unit and end-to-end tests, then the integration
# tests that drive real clients (git, pre-commit, jsonschema, pytest-lsp, Chromium).
# Usage: scripts/test.sh   (after scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> swift build"
swift build
echo "==> swift test"
swift test
echo "==> integration tests (pytest)"
EVIDENT_BIN="$PWD/.build/debug/evident" .venv/bin/python -m pytest Tests/Integration -q

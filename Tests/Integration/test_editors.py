"""docs/editors.md's Neovim 0.7-0.9 and Emacs (eglot) configurations, run in Debian 12's
own editors (Neovim 0.7.2; Emacs 28.2 with elpa-eglot 1.9), which scripts/setup.sh
installs, with nothing but that configuration.

The configurations are taken from the documentation itself, so the page cannot drift
from what is tested. The headless editor opens a review with a citation of no evidence
item and must show the server's diagnostic at its place; fixing the citation in the
buffer must clear it; a Markdown file outside a review repository starts no server.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "acme"
EDITORS = ROOT / "docs" / "editors.md"
REVIEW = Path("cycles/2026-h2/alice/review.md")

DRIVER = r"""
local result = { filetype = vim.bo.filetype, steps = {} }
local buf = vim.api.nvim_get_current_buf()
local function diagnostics()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(found, { line = d.lnum + 1, column = d.col + 1, code = d.code, source = d.source,
                          severity = d.severity, message = d.message })
  end
  return found
end
local function step(name, condition)
  local start = vim.loop.hrtime()
  local ok = vim.wait(20000, condition, 10)
  table.insert(result.steps, { name = name, ok = ok, ms = (vim.loop.hrtime() - start) / 1e6,
                               diagnostics = diagnostics() })
end
if os.getenv('EVIDENT_NVIM_EXPECT') == 'diagnostics' then
  step('open', function() return #vim.diagnostic.get(buf) > 0 end)
  result.clients = #vim.lsp.buf_get_clients(buf)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  for index, line in ipairs(lines) do
    if line:find('[@no-such-item]', 1, true) then
      local fixed = line:gsub('%[@no%-such%-item%]', '[@checkout-latency]')
      vim.api.nvim_buf_set_lines(buf, index - 1, index, false, { fixed })
    end
  end
  step('fixed', function() return #vim.diagnostic.get(buf) == 0 end)
else
  vim.wait(1000, function() return false end, 50)
  result.clients = #vim.lsp.buf_get_clients(buf)
  result.all_clients = #vim.lsp.get_active_clients()
end
result.omnifunc = vim.bo[buf].omnifunc
local out = io.open(os.getenv('EVIDENT_NVIM_OUT'), 'w')
out:write(vim.fn.json_encode(result))
out:close()
vim.cmd('qa!')
"""


@pytest.fixture(scope="session")
def evident() -> Path:
    binary = Path(os.environ.get("EVIDENT_BIN", ROOT / ".build" / "debug" / "evident"))
    if not binary.is_file():
        pytest.fail(f"evident binary not found at {binary}: run `swift build` or set EVIDENT_BIN", pytrace=False)
    return binary


@pytest.fixture(scope="session")
def nvim() -> str:
    found = shutil.which("nvim")
    if found is None:
        pytest.fail("nvim not found: run scripts/setup.sh (Debian package `neovim`)", pytrace=False)
    return found


def documented_configuration() -> str:
    text = EDITORS.read_text("utf-8")
    match = re.search(r"^Neovim 0\.7 to 0\.9\b.*?^```lua\n(.*?)^```", text, re.S | re.M)
    assert match, "docs/editors.md has no Neovim 0.7 to 0.9 configuration"
    return match.group(1)


def run_nvim(nvim: str, evident: Path, file: Path, tmp_path: Path, expect: str) -> tuple[dict, str]:
    config = tmp_path / "init.lua"
    config.write_text(documented_configuration(), "utf-8")
    driver = tmp_path / "driver.lua"
    driver.write_text(DRIVER, "utf-8")
    out = tmp_path / "result.json"
    env = dict(os.environ)
    # `evident` as the documentation runs it, from PATH; nothing of the user's Neovim set-up.
    env["PATH"] = f"{evident.parent}{os.pathsep}{env.get('PATH', '')}"
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(tmp_path / name.lower())
    env["EVIDENT_NVIM_OUT"] = str(out)
    env["EVIDENT_NVIM_EXPECT"] = expect
    process = subprocess.run(
        [nvim, "--headless", "-n", "-u", str(config), "-c", f"luafile {driver}", str(file)],
        capture_output=True, text=True, timeout=90, env=env, stdin=subprocess.DEVNULL,
    )
    assert out.is_file(), f"nvim wrote no result (exit {process.returncode}):\n{process.stdout}\n{process.stderr}"
    logs = list((tmp_path / "xdg_cache_home").rglob("lsp.log")) + list((tmp_path / "xdg_state_home").rglob("lsp.log"))
    log = "".join(path.read_text("utf-8", errors="replace") for path in logs)
    return json.loads(out.read_text("utf-8")), log


def test_neovim_is_debians(nvim: str) -> None:
    version = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=30).stdout
    assert re.match(r"NVIM v0\.\d+\.\d+", version), version


def test_neovim_shows_and_clears_a_diagnostic(nvim: str, evident: Path, tmp_path: Path) -> None:
    repo = tmp_path / "My reviews, 2026" / "acme"  # a space and a comma, as a user's folder may have
    shutil.copytree(EXAMPLE, repo)
    review = repo / REVIEW
    text = review.read_text("utf-8")
    assert text.count("[@checkout-latency]") == 1
    review.write_text(text.replace("[@checkout-latency]", "[@no-such-item]"), "utf-8")
    line = next(i for i, row in enumerate(review.read_text("utf-8").splitlines(), 1) if "[@no-such-item]" in row)
    column = review.read_text("utf-8").splitlines()[line - 1].index("[@no-such-item]") + 2

    result, log = run_nvim(nvim, evident, review, tmp_path, "diagnostics")

    assert result["filetype"] == "markdown"
    assert result["clients"] == 1, result
    assert result["omnifunc"] == "v:lua.vim.lsp.omnifunc"
    opened, fixed = result["steps"]
    assert opened["ok"], f"no diagnostic arrived: {result}"
    assert [(d["code"], d["source"], d["severity"], d["line"], d["column"]) for d in opened["diagnostics"]] == [
        ("citation-unknown", "evident", 1, line, column)
    ], opened
    assert "no-such-item" in opened["diagnostics"][0]["message"]
    assert fixed["ok"], f"the diagnostic stayed after the fix: {fixed}"
    assert fixed["diagnostics"] == []
    # In normal use the server writes nothing that Neovim would log as an error.
    assert "stderr" not in log, log


def test_neovim_starts_no_server_outside_a_review_repository(nvim: str, evident: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes" / "todo.md"
    notes.parent.mkdir()
    notes.write_text("# Notes\n\nA great attitude, no citation.\n", "utf-8")
    result, _ = run_nvim(nvim, evident, notes, tmp_path, "none")
    assert result["filetype"] == "markdown"
    assert (result["clients"], result["all_clients"]) == (0, 0), result


# --- Emacs with eglot ------------------------------------------------------------------

EMACS_DRIVER = r"""
(require 'json)
(defun evident-test-wait (predicate seconds)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (funcall predicate)))
(defun evident-test-diagnostics ()
  (vconcat
   (mapcar (lambda (d)
             (save-excursion
               (goto-char (flymake-diagnostic-beg d))
               (list (cons 'line (line-number-at-pos)) (cons 'column (1+ (current-column)))
                     (cons 'type (symbol-name (flymake-diagnostic-type d)))
                     (cons 'text (flymake-diagnostic-text d)))))
           (flymake-diagnostics))))
(find-file (getenv "EVIDENT_EMACS_FILE"))
;; eglot-ensure connects after the next command; batch Emacs runs no command loop.
(run-hooks 'post-command-hook)
(let ((result (list (cons 'mode (symbol-name major-mode)))))
  (if (equal (getenv "EVIDENT_EMACS_EXPECT") "diagnostics")
      (progn
        (push (cons 'connected (and (evident-test-wait #'eglot-current-server 20) t)) result)
        (push (cons 'opened (and (evident-test-wait #'flymake-diagnostics 20) t)) result)
        (push (cons 'opened_diagnostics (evident-test-diagnostics)) result)
        (goto-char (point-min))
        (search-forward "[@no-such-item]")
        (replace-match "[@checkout-latency]" t t)
        (save-buffer)
        (push (cons 'fixed (and (evident-test-wait (lambda () (null (flymake-diagnostics))) 20) t)) result)
        (push (cons 'fixed_diagnostics (evident-test-diagnostics)) result))
    (evident-test-wait (lambda () nil) 1)
    (push (cons 'connected (if (eglot-current-server) t :json-false)) result))
  (with-temp-file (getenv "EVIDENT_EMACS_OUT")
    (insert (json-encode result))))
(kill-emacs 0)
"""


@pytest.fixture(scope="session")
def emacs() -> str:
    found = shutil.which("emacs")
    if found is None:
        pytest.fail("emacs not found: run scripts/setup.sh (Debian packages `emacs-nox`, `elpa-eglot`)", pytrace=False)
    return found


def documented_emacs_configuration() -> str:
    text = EDITORS.read_text("utf-8")
    match = re.search(r"^### Emacs \(eglot\)\n.*?^```elisp\n(.*?)^```", text, re.S | re.M)
    assert match, "docs/editors.md has no Emacs configuration"
    return match.group(1)


def run_emacs(emacs: str, evident: Path, file: Path, tmp_path: Path, expect: str) -> dict:
    config = tmp_path / "init.el"
    config.write_text(documented_emacs_configuration(), "utf-8")
    driver = tmp_path / "driver.el"
    driver.write_text(EMACS_DRIVER, "utf-8")
    out = tmp_path / "result.json"
    env = dict(os.environ)
    env["PATH"] = f"{evident.parent}{os.pathsep}{env.get('PATH', '')}"
    env["HOME"] = str(tmp_path / "home")
    env["EVIDENT_EMACS_FILE"] = str(file)
    env["EVIDENT_EMACS_OUT"] = str(out)
    env["EVIDENT_EMACS_EXPECT"] = expect
    # --batch skips the start-up activation of installed packages (markdown-mode's
    # file association among them) that an interactive Emacs does: do it first.
    process = subprocess.run(
        [emacs, "--batch", "--eval", "(package-initialize)", "-l", str(config), "-l", str(driver)],
        capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL,
    )
    assert out.is_file(), f"emacs wrote no result (exit {process.returncode}):\n{process.stdout}\n{process.stderr}"
    return json.loads(out.read_text("utf-8"))


def test_emacs_eglot_shows_and_clears_a_diagnostic(emacs: str, evident: Path, tmp_path: Path) -> None:
    repo = tmp_path / "My reviews, 2026" / "acme"
    shutil.copytree(EXAMPLE, repo)
    subprocess.run(["git", "init", "-q", str(repo)], check=True, timeout=60)
    review = repo / REVIEW
    review.write_text(review.read_text("utf-8").replace("[@checkout-latency]", "[@no-such-item]"), "utf-8")
    rows = review.read_text("utf-8").splitlines()
    line = next(i for i, row in enumerate(rows, 1) if "[@no-such-item]" in row)
    column = rows[line - 1].index("[@no-such-item]") + 2

    result = run_emacs(emacs, evident, review, tmp_path, "diagnostics")

    assert result["mode"] == "markdown-mode"
    assert result["connected"], result
    assert result["opened"], f"no diagnostic arrived: {result}"
    [diagnostic] = result["opened_diagnostics"]
    assert (diagnostic["line"], diagnostic["column"], diagnostic["type"]) == (line, column, "eglot-error"), diagnostic
    assert "citation-unknown" in diagnostic["text"] and "no-such-item" in diagnostic["text"], diagnostic
    assert result["fixed"], f"the diagnostic stayed after the fix: {result}"
    assert result["fixed_diagnostics"] == []


def test_emacs_starts_no_server_outside_a_review_repository(emacs: str, evident: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes" / "todo.md"
    notes.parent.mkdir()
    notes.write_text("# Notes\n\nA great attitude, no citation.\n", "utf-8")
    result = run_emacs(emacs, evident, notes, tmp_path, "none")
    assert result["mode"] == "markdown-mode"
    assert result["connected"] is False, result

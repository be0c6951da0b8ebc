"""`evident calibrate`, `record` and `health` through the real binary.

The uncited-change flag is checked across two real commits made with the git CLI:
a calibrated rating changed without rationale or evidence must fail the diff (exit 1).
The binary is `$EVIDENT_BIN`, or `.build/debug/evident` under the repository root.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "acme"
GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Dana Okafor", "GIT_AUTHOR_EMAIL": "dana@acme.example",
    "GIT_COMMITTER_NAME": "Dana Okafor", "GIT_COMMITTER_EMAIL": "dana@acme.example",
}


@pytest.fixture(scope="session")
def evident() -> Path:
    configured = os.environ.get("EVIDENT_BIN")
    binary = Path(configured).resolve() if configured else REPO_ROOT / ".build" / "debug" / "evident"
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"evident binary not found at {binary}: build it with `swift build` or set EVIDENT_BIN", pytrace=False)
    return binary


def run(evident: Path, *arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(evident), *arguments], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "NO_COLOR": "1", **GIT_ENV})


def git(cwd: Path, *arguments: str, author: tuple[str, str] | None = None) -> str:
    env = {**os.environ, **GIT_ENV}
    if author:
        env.update(GIT_AUTHOR_NAME=author[0], GIT_AUTHOR_EMAIL=author[1],
                   GIT_COMMITTER_NAME=author[0], GIT_COMMITTER_EMAIL=author[1])
    process = subprocess.run(["git", *arguments], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return process.stdout.strip()


@pytest.fixture()
def repository(tmp_path: Path) -> Path:
    """A git repository holding a copy of the example organisation under `reviews/`."""
    git(tmp_path, "init", "-q", "-b", "main")
    shutil.copytree(EXAMPLE, tmp_path / "reviews")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "Acme reviews")
    return tmp_path


def calibrate(review: Path, block: str) -> None:
    text = review.read_text()
    assert "calibration:" not in text
    review.write_text(text.replace("rating: meets\n", "rating: meets\n" + block, 1))


def test_uncited_calibration_fails_the_diff(evident: Path, repository: Path) -> None:
    calibrate(repository / "reviews/cycles/2026-h2/gabriel/review.md", "calibration:\n  rating: below\n")
    git(repository, "commit", "-q", "-am", "Calibrate Gabriel", author=("Erin Park", "erin@acme.example"))
    reviews = repository / "reviews"
    text = run(evident, "calibrate", "diff", "HEAD~1", "HEAD", cwd=reviews)
    assert text.returncode == 1, text.stderr
    assert "error: gabriel: calibrated rating set to below" in text.stdout
    assert "uncited: no rationale, no cited evidence [calibration-set]" in text.stdout
    assert "by Erin Park <erin@acme.example>" in text.stdout

    as_json = run(evident, "calibrate", "diff", "HEAD~1", "HEAD", "--format", "json", cwd=reviews)
    assert as_json.returncode == 1
    report = json.loads(as_json.stdout)
    assert report["uncitedRatingChanges"] == 1
    (change,) = report["changes"]
    assert change["kind"] == "calibration-set" and change["uncited"] is True
    assert change["author"]["email"] == "erin@acme.example"

    markdown = run(evident, "calibrate", "diff", "HEAD~1", "HEAD", "--format", "markdown", cwd=reviews)
    assert markdown.returncode == 1 and "| ❌ | gabriel |" in markdown.stdout


def test_cited_calibration_passes(evident: Path, repository: Path) -> None:
    evidence = (repository / "reviews/cycles/2026-h2/gabriel/evidence.md").read_text()
    first = next(line.split(":", 1)[1].strip() for line in evidence.splitlines() if line.strip().startswith("- id:"))
    calibrate(repository / "reviews/cycles/2026-h2/gabriel/review.md",
              f"calibration:\n  rating: exceeds\n  rationale: Above the bar.\n  evidence: [{first}]\n")
    git(repository, "commit", "-q", "-am", "Calibrate Gabriel with a reason")
    result = run(evident, "calibrate", "diff", "HEAD~1", "HEAD", cwd=repository / "reviews")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 uncited rating changes" in result.stdout and "cites rationale and 1 item" in result.stdout


def test_packet_markdown_and_html(evident: Path, tmp_path: Path) -> None:
    result = run(evident, "calibrate", "packet", "--cycle", "2026-h2", "--group", "eng", cwd=EXAMPLE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Calibration packet: eng, 2026-h2")
    assert "No distribution is enforced" in result.stdout
    target = tmp_path / "packet.html"
    target.write_text("old")
    for _ in range(2):  # regenerating replaces the file
        written = run(evident, "calibrate", "packet", "--cycle", "2026-h2", "--group", "eng", "--html", str(target),
                      cwd=EXAMPLE)
        assert written.returncode == 0, written.stderr
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".evident")], "temporary files left behind"


def test_unknown_group_and_person_are_usage_errors(evident: Path) -> None:
    group = run(evident, "calibrate", "packet", "--cycle", "2026-h2", "--group", "sales", cwd=EXAMPLE)
    assert group.returncode == 2 and "known groups: eng" in group.stderr
    person = run(evident, "record", "nobody", "--cycle", "2026-h2", cwd=EXAMPLE)
    assert person.returncode == 2 and "unknown person" in person.stderr


def test_record_leaves_private_notes_out(evident: Path) -> None:
    for person in ("frank", "hana", "ivan"):
        result = run(evident, "record", person, "--cycle", "2026-h2", cwd=EXAMPLE)
        assert result.returncode == 0, result.stderr
        assert "## Outcome" in result.stdout and "## Growth plan" in result.stdout
    leaks = ["external offer", "support plan with HR", "move to the Platform team"]
    for person in ("frank", "hana", "ivan"):
        output = run(evident, "record", person, "--cycle", "2026-h2", cwd=EXAMPLE).stdout
        assert not [leak for leak in leaks if leak in output]


def test_health_text_and_json(evident: Path) -> None:
    text = run(evident, "health", "--cycle", "2026-h2", cwd=EXAMPLE)
    assert text.returncode == 0 and "Span of control" in text.stdout
    report = json.loads(run(evident, "health", "--cycle", "2026-h2", "--format", "json", cwd=EXAMPLE).stdout)
    assert report["maxSpan"] == 8
    assert {warning["kind"] for warning in report["warnings"]} == {"engagement-decline"}
    assert {team["team"] for team in report["incidents"]} == {"payments", "platform"}

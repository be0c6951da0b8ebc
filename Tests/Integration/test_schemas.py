"""The JSON Schemas in schema/ against the example organisation, the templates and the
invalid fixtures.

Every file of examples/acme and templates/ is either mapped to a schema by the layout
of docs/reference.md or listed in NOT_DOCUMENTS; per-kind counts are pinned so the
test cannot pass by validating nothing. The schemas must also work offline in a plain
validator: check-jsonschema, from the set-up step's .venv, with the network blocked.

Run: .venv/bin/python -m pytest Tests/Integration/test_schemas.py -q
"""

from __future__ import annotations

import importlib.util
import json
import os
import posixpath
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path, PurePosixPath

import pytest
import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "schema"
ACME = ROOT / "examples" / "acme"
ACME_SCHEMAS = ACME / ".evident" / "schema"
TEMPLATES = ROOT / "templates"
INVALID = ROOT / "Tests" / "Fixtures" / "schema-invalid"

KINDS = (
    "evident", "people", "team", "values", "metrics", "level", "cycle",
    "evidence", "self-review", "peer-feedback", "review", "response", "appeal",
)
YAML_KINDS = {"evident", "people", "team", "metrics", "cycle"}

# Files under examples/acme and templates/ that are not Evident documents.
NOT_DOCUMENTS = {"templates/calibration-checklist.md"}

EXPECTED_ACME = {
    "evident": 1, "people": 1, "values": 1, "metrics": 1, "level": 5, "team": 2,
    "cycle": 1, "evidence": 11, "self-review": 11, "peer-feedback": 22, "review": 11,
    "response": 2, "appeal": 1,
}
EXPECTED_TEMPLATES = {
    "evident": 1, "people": 1, "values": 1, "metrics": 1, "level": 2, "team": 1,
    "cycle": 1, "evidence": 1, "self-review": 1, "peer-feedback": 1, "review": 1,
    "response": 1, "appeal": 1,
}

# Placeholders each new-file template may use, and plausible values for them.
TEMPLATE_PLACEHOLDERS = {
    "templates/init/evident.yaml": {"organization"},
    "templates/new/cycle.yaml": {"cycle", "start", "end", "freeze"},
    "templates/new/evidence.md": {"person", "cycle"},
    "templates/new/self.md": {"person", "cycle", "sections"},
    "templates/new/peer.md": {"person", "cycle", "author"},
    "templates/new/review.md": {"person", "cycle", "reviewer", "level", "sections"},
    "templates/new/response.md": {"person", "cycle"},
    "templates/new/appeal.md": {"person", "cycle", "to", "opened"},
}
SUBSTITUTIONS = {
    "organization": "Example Co: Platform & Payments",
    "cycle": "2027",  # all digits on purpose: must still load as a string id
    "start": "2027-01-01",
    "end": "2027-06-30",
    "freeze": "2027-06-10",
    "person": "alex",
    "author": "jordan",
    "reviewer": "sam",
    "level": "eng-2",
    "to": "skip-level",
    "opened": "2027-07-08",
    "sections": "## Delivery\n\nWhat did you ship, and what changed because of it?\n\n"
                "## Code quality\n\nWhich bugs did your tests catch before users did?\n",
}
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")

# Each invalid fixture: the one JSON Schema keyword it breaks, and where.
EXPECTED_DEFECTS = {
    "evident--missing-ratings.yaml": ("required", "$"),
    "evident--unknown-key.yaml": ("additionalProperties", "$"),
    "evident--rule-severity-enum.yaml": ("enum", "$.rules['word-limit']"),
    "people--bad-id.yaml": ("pattern", "$.people[0].id"),
    "people--missing-email.yaml": ("required", "$.people[0]"),
    "team--attrition-risk-enum.yaml": ("enum", "$.attrition_risk"),
    "team--score-wrong-type.yaml": ("type", "$.engagement[0].score"),
    "values--empty-behaviors.md": ("minItems", "$.values[0].behaviors"),
    "metrics--indicator-enum.yaml": ("enum", "$.metrics[0].indicator"),
    "metrics--gaming-risks-missing.yaml": ("minItems", "$.metrics[0].gaming_risks"),
    "level--aspect-enum.md": ("enum", "$.dimensions[0].aspect"),
    "level--balance-wrong-type.md": ("type", "$.balance.what"),
    "cycle--freeze-not-a-date.yaml": ("format", "$.freeze"),
    "cycle--phase-enum.yaml": ("enum", "$.phase"),
    "evidence--item-type-enum.md": ("enum", "$.items[0].type"),
    "evidence--item-missing-summary.md": ("required", "$.items[0]"),
    "self-review--wrong-kind.md": ("const", "$.kind"),
    "peer-feedback--missing-author.md": ("required", "$"),
    "review--promotion-readiness-enum.md": ("enum", "$.promotion.readiness"),
    "review--calibration-unknown-key.md": ("additionalProperties", "$.calibration"),
    "response--position-enum.md": ("enum", "$.position"),
    "appeal--answer-missing-rationale.md": ("required", "$.answer"),
    "appeal--to-enum.md": ("enum", "$.to"),
}


# --- loading -------------------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps YAML dates as strings, as the schemas expect."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

FRONT_MATTER = re.compile(r"\A---\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)


def front_matter(text: str, where: str) -> str:
    match = FRONT_MATTER.match(text)
    assert match, f"{where}: no front matter between --- fences"
    return match.group(1)


def load_document(text: str, suffix: str, where: str):
    source = front_matter(text, where) if suffix == ".md" else text
    document = yaml.load(source, Loader=_Loader)
    assert isinstance(document, dict), f"{where}: top level is not a mapping"
    return document


def load_schemas() -> dict[str, dict]:
    return {
        path.name.removesuffix(".schema.json"): json.loads(path.read_text("utf-8"))
        for path in sorted(SCHEMA_DIR.glob("*.schema.json"))
    }


SCHEMAS = load_schemas()
# No registry: each schema must stand alone, as it does for an editor or a plain validator.
VALIDATORS = {
    kind: Draft202012Validator(SCHEMAS[kind], format_checker=Draft202012Validator.FORMAT_CHECKER)
    for kind in KINDS
}


def errors_of(kind: str, document) -> list:
    return sorted(VALIDATORS[kind].iter_errors(document), key=lambda e: e.json_path)


def describe(errors) -> str:
    return "; ".join(f"{e.json_path}: {e.message}" for e in errors)


# --- mapping files to kinds ----------------------------------------------------------

def repo_kind(rel: PurePosixPath) -> str | None:
    """Kind of a file at `rel` inside a review repository, by the layout of docs/reference.md."""
    parts = rel.parts
    name = rel.name
    if len(parts) == 1:
        return {"evident.yaml": "evident", "people.yaml": "people",
                "values.md": "values", "metrics.yaml": "metrics"}.get(name)
    if len(parts) == 2 and parts[0] == "levels" and name.endswith(".md"):
        return "level"
    if len(parts) == 2 and parts[0] == "teams" and name.endswith(".yaml"):
        return "team"
    if len(parts) == 3 and parts[0] == "cycles" and name == "cycle.yaml":
        return "cycle"
    if len(parts) == 4 and parts[0] == "cycles":
        if name == "evidence.md":
            return "evidence"
        if name == "self.md":
            return "self-review"
        if name == "review.md":
            return "review"
        if name == "response.md":
            return "response"
        if name == "appeal.md":
            return "appeal"
        if re.fullmatch(r"peer-[a-z0-9][a-z0-9-]*\.md", name):
            return "peer-feedback"
    return None


NEW_TEMPLATE_KINDS = {
    "cycle.yaml": ("cycle", "cycles/2027/cycle.yaml"),
    "evidence.md": ("evidence", "cycles/2027/alex/evidence.md"),
    "self.md": ("self-review", "cycles/2027/alex/self.md"),
    "peer.md": ("peer-feedback", "cycles/2027/alex/peer-jordan.md"),
    "review.md": ("review", "cycles/2027/alex/review.md"),
    "response.md": ("response", "cycles/2027/alex/response.md"),
    "appeal.md": ("appeal", "cycles/2027/alex/appeal.md"),
}


def template_kind(rel: PurePosixPath) -> tuple[str, PurePosixPath] | None:
    """Kind of a template and where it ends up in the user's repository."""
    parts = rel.parts
    if parts[:2] == ("templates", "init"):
        inside = PurePosixPath(*parts[2:])
        kind = repo_kind(inside)
        return (kind, inside) if kind else None
    if parts[:2] == ("templates", "new") and len(parts) == 3:
        found = NEW_TEMPLATE_KINDS.get(parts[2])
        return (found[0], PurePosixPath(found[1])) if found else None
    return None


def files_under(base: Path) -> list[Path]:
    """Files under base, leaving out dot folders (`.evident/schema` holds the schemas)."""
    return sorted(
        p for p in base.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(base).parts)
    )


def rel(path: Path) -> PurePosixPath:
    return PurePosixPath(path.relative_to(ROOT).as_posix())


ACME_FILES = [(p, repo_kind(PurePosixPath(p.relative_to(ACME).as_posix()))) for p in files_under(ACME)]
TEMPLATE_FILES = [(p, template_kind(rel(p))) for p in files_under(TEMPLATES)]


def substitute(text: str) -> str:
    return PLACEHOLDER.sub(lambda m: SUBSTITUTIONS[m.group(1)], text)


# --- the schemas themselves ----------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_valid_draft_2020_12(name):
    schema = SCHEMAS[name]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema.get("title") and schema.get("description")


def test_one_schema_per_kind():
    assert set(SCHEMAS) == set(KINDS)


def _properties(node, path="$"):
    """Yield (path, name, subschema) for every declared property, recursively."""
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{path}.{name}", name, sub
        for key, sub in node.items():
            if key in ("properties", "$defs"):
                for name, child in sub.items():
                    yield from _properties(child, f"{path}.{name}")
            elif isinstance(sub, (dict, list)):
                yield from _properties(sub, f"{path}/{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _properties(item, f"{path}[{index}]")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_field_is_described(name):
    undocumented = [path for path, _, sub in _properties(SCHEMAS[name]) if "description" not in sub]
    assert not undocumented, f"fields without a description: {undocumented}"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_mapping_rejects_unknown_keys(name):
    def walk(node, path):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                assert node.get("additionalProperties") is False, f"{name} {path} allows unknown keys"
            for key, sub in node.items():
                walk(sub, f"{path}/{key}")
        elif isinstance(node, list):
            for index, sub in enumerate(node):
                walk(sub, f"{path}[{index}]")
    walk(SCHEMAS[name], "$")


def _references(node):
    if isinstance(node, dict):
        for key, sub in node.items():
            if key == "$ref":
                yield sub
            else:
                yield from _references(sub)
    elif isinstance(node, list):
        for sub in node:
            yield from _references(sub)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_self_contained(name):
    """A schema is used alone (a modeline, `check-jsonschema --schemafile`, an editor's
    schema setting): every $ref must point inside it and resolve there, and no $id may
    send a validator to a host for the rest."""
    schema = SCHEMAS[name]
    assert "$id" not in schema
    references = list(_references(schema))
    assert references, "expected the schema to use its shared definitions"
    for reference in references:
        assert reference.startswith("#/$defs/"), reference
        assert reference.removeprefix("#/$defs/") in schema["$defs"], reference


def test_shared_definitions_agree():
    """Each schema carries its own copy of the shared definitions; the copies must not drift."""
    seen: dict[str, tuple[str, dict]] = {}
    for name, schema in sorted(SCHEMAS.items()):
        for definition, body in schema.get("$defs", {}).items():
            first = seen.setdefault(definition, (name, body))
            assert body == first[1], f"$defs/{definition} differs between {first[0]} and {name}"
    assert {"id", "date", "evidenceItem"} <= set(seen)


# --- examples/acme -------------------------------------------------------------------

def test_every_acme_file_is_a_known_document():
    unknown = [str(rel(p)) for p, kind in ACME_FILES if kind is None and str(rel(p)) not in NOT_DOCUMENTS]
    assert not unknown, f"files that map to no schema: {unknown}"


def test_acme_document_counts():
    assert Counter(kind for _, kind in ACME_FILES if kind) == Counter(EXPECTED_ACME)


@pytest.mark.parametrize(
    "path,kind", [(p, k) for p, k in ACME_FILES if k], ids=lambda v: str(v.relative_to(ACME)) if isinstance(v, Path) else v
)
def test_acme_file_validates(path, kind):
    document = load_document(path.read_text("utf-8"), path.suffix, str(rel(path)))
    errors = errors_of(kind, document)
    assert not errors, describe(errors)


# --- templates -----------------------------------------------------------------------

def test_every_template_is_a_known_document():
    unknown = [str(rel(p)) for p, found in TEMPLATE_FILES if found is None and str(rel(p)) not in NOT_DOCUMENTS]
    assert not unknown, f"templates that map to no schema: {unknown}"


def test_template_document_counts():
    assert Counter(found[0] for _, found in TEMPLATE_FILES if found) == Counter(EXPECTED_TEMPLATES)


@pytest.mark.parametrize("path", [p for p, _ in TEMPLATE_FILES], ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_uses_only_its_placeholders(path):
    used = set(PLACEHOLDER.findall(path.read_text("utf-8")))
    allowed = TEMPLATE_PLACEHOLDERS.get(str(rel(path)), set())
    assert used <= allowed, f"unexpected placeholders {sorted(used - allowed)}"
    assert used == allowed, f"placeholders never used: {sorted(allowed - used)}"


@pytest.mark.parametrize(
    "path,found", [(p, f) for p, f in TEMPLATE_FILES if f], ids=lambda v: str(v.relative_to(TEMPLATES)) if isinstance(v, Path) else ""
)
def test_template_validates_after_substitution(path, found):
    kind, _ = found
    text = substitute(path.read_text("utf-8"))
    assert "{{" not in text and "}}" not in text
    document = load_document(text, path.suffix, str(rel(path)))
    errors = errors_of(kind, document)
    assert not errors, describe(errors)


# --- yaml-language-server modelines --------------------------------------------------

MODELINE = re.compile(r"\A# yaml-language-server: \$schema=(\S+)\n")


@pytest.mark.parametrize(
    "path,kind", [(p, k) for p, k in ACME_FILES if p.suffix == ".yaml"], ids=lambda v: str(v.relative_to(ACME)) if isinstance(v, Path) else v
)
def test_acme_yaml_modeline_points_at_its_schema(path, kind):
    match = MODELINE.match(path.read_text("utf-8"))
    assert match, "first line must be a yaml-language-server modeline"
    # Inside the example, where `evident init` puts the schemas: a copy of the example
    # taken out of the project keeps working.
    assert (path.parent / match.group(1)).resolve() == ACME_SCHEMAS.resolve() / f"{kind}.schema.json"


def test_acme_carries_the_current_schemas():
    shipped = sorted(p.name for p in ACME_SCHEMAS.iterdir())
    assert shipped == sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json"))
    stale = [name for name in shipped if (ACME_SCHEMAS / name).read_bytes() != (SCHEMA_DIR / name).read_bytes()]
    assert not stale, f"run scripts/embed-resources.py: examples/acme/.evident/schema differs in {stale}"


@pytest.mark.parametrize(
    "path,found", [(p, f) for p, f in TEMPLATE_FILES if p.suffix == ".yaml"], ids=lambda v: str(v.relative_to(TEMPLATES)) if isinstance(v, Path) else ""
)
def test_template_yaml_modeline_points_at_installed_schema(path, found):
    kind, destination = found
    match = MODELINE.match(path.read_text("utf-8"))
    assert match, "first line must be a yaml-language-server modeline"
    target = posixpath.normpath(posixpath.join(str(destination.parent), match.group(1)))
    assert target == f".evident/schema/{kind}.schema.json"


# --- check-jsonschema, offline -------------------------------------------------------

def check_jsonschema(schema: Path, files: list[Path]) -> subprocess.CompletedProcess:
    """check-jsonschema from the set-up step (the .venv running these tests), with every
    proxy pointed at a closed port so that a schema needing the network fails."""
    if importlib.util.find_spec("check_jsonschema") is None:
        pytest.fail(f"check-jsonschema is not installed in {sys.prefix}: run scripts/setup.sh", pytrace=False)
    env = dict(os.environ)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        env[name] = "http://127.0.0.1:9"
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--no-cache", "--schemafile", str(schema), *map(str, files)],
        capture_output=True, text=True, timeout=120, env=env,
    )


def as_yaml_files(pairs: list[tuple[Path, str]], base: Path, out: Path) -> dict[str, list[Path]]:
    """Plain YAML files, and the front matter of Markdown ones, per kind: what a user
    feeds a validator."""
    by_kind: dict[str, list[Path]] = {}
    for path, kind in pairs:
        if path.suffix == ".md":
            target = out / (path.relative_to(base).as_posix().replace("/", "__") + ".yaml")
            target.write_text(front_matter(path.read_text("utf-8"), str(path)), "utf-8")
        else:
            target = path
        by_kind.setdefault(kind, []).append(target)
    return by_kind


@pytest.mark.parametrize("kind", KINDS)
def test_check_jsonschema_accepts_acme_offline(kind, tmp_path):
    """What an editor or CI does: the schema shipped in the example, alone, offline."""
    files = as_yaml_files([(p, k) for p, k in ACME_FILES if k], ACME, tmp_path).get(kind, [])
    assert len(files) == EXPECTED_ACME[kind]
    result = check_jsonschema(ACME_SCHEMAS / f"{kind}.schema.json", files)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", sorted(p for p in INVALID.iterdir() if p.is_file()), ids=lambda p: p.name)
def test_check_jsonschema_rejects_invalid_fixture_offline(path, tmp_path):
    """The same validator says no to each invalid fixture, for the fixture's defect."""
    kind = path.name.split("--")[0]
    files = as_yaml_files([(path, kind)], INVALID, tmp_path)[kind]
    result = check_jsonschema(SCHEMA_DIR / f"{kind}.schema.json", files)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Schema validation errors were encountered" in result.stdout, result.stdout + result.stderr
    assert "Failed to resolve" not in result.stdout + result.stderr


@pytest.fixture(scope="session")
def evident() -> Path:
    binary = Path(os.environ.get("EVIDENT_BIN", ROOT / ".build" / "debug" / "evident"))
    if not binary.is_file():
        pytest.fail(f"evident binary not found at {binary}: build it with `swift build` or set EVIDENT_BIN", pytrace=False)
    return binary


def test_schemas_copied_by_init_validate_its_files_offline(evident, tmp_path):
    """`evident init` copies the schemas into .evident/schema/; with them, and nothing else,
    check-jsonschema validates every file init wrote, through each YAML file's modeline."""
    repo = tmp_path / "reviews"
    process = subprocess.run([str(evident), "init", str(repo), "--organization", "Acme"],
                             capture_output=True, text=True, timeout=60)
    assert process.returncode == 0, process.stdout + process.stderr
    copied = sorted(p.name for p in (repo / ".evident" / "schema").iterdir())
    assert copied == sorted(f"{kind}.schema.json" for kind in KINDS)
    written = [(p, repo_kind(PurePosixPath(p.relative_to(repo).as_posix()))) for p in files_under(repo)]
    unknown = [p.name for p, kind in written if kind is None]
    assert unknown == ["calibration-checklist.md"], unknown
    written = [(p, kind) for p, kind in written if kind]
    assert {kind for _, kind in written} == set(KINDS) - {"evidence", "self-review", "peer-feedback", "review", "response", "appeal", "cycle"}
    for kind, files in as_yaml_files(written, repo, tmp_path).items():
        for file in files:
            schema = repo / ".evident" / "schema" / f"{kind}.schema.json"
            if file.suffix == ".yaml" and file.is_relative_to(repo):
                match = MODELINE.match(file.read_text("utf-8"))
                assert match, f"{file}: no modeline"
                schema = file.parent / match.group(1)
            result = check_jsonschema(schema, [file])
            assert result.returncode == 0, f"{file}: {result.stdout}{result.stderr}"


# --- invalid fixtures ----------------------------------------------------------------

INVALID_FILES = sorted(p for p in INVALID.iterdir() if p.is_file())


def test_invalid_fixtures_are_all_listed():
    assert sorted(p.name for p in INVALID_FILES) == sorted(EXPECTED_DEFECTS)
    assert len(INVALID_FILES) >= 12
    assert {p.name.split("--")[0] for p in INVALID_FILES} == set(KINDS)


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda p: p.name)
def test_invalid_fixture_has_exactly_its_one_defect(path):
    kind, what = path.stem.split("--")
    assert kind in KINDS and re.fullmatch(r"[a-z0-9][a-z0-9-]*", what)
    assert path.suffix == (".yaml" if kind in YAML_KINDS else ".md")
    # Well formed apart from the defect: the YAML (or front matter) parses to a mapping.
    document = load_document(path.read_text("utf-8"), path.suffix, path.name)
    errors = errors_of(kind, document)
    assert len(errors) == 1, f"expected exactly one schema error, got: {describe(errors) or 'none'}"
    keyword, where = EXPECTED_DEFECTS[path.name]
    assert (errors[0].validator, errors[0].json_path) == (keyword, where), describe(errors)

"""The newcomer's documentation against the product.

docs/reference.md has one field table per file kind; each must list exactly the fields
of that kind's JSON Schema, with the same required ones. README.md and docs/ must stand
alone: no link into a folder outside the product, and every relative link resolves.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "reference.md"
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

SCHEMA_LINE = re.compile(r"^Schema: \[`schema/([a-z-]+)\.schema\.json`\]\(\.\./schema/\1\.schema\.json\)", re.M)
ROW = re.compile(r"^\| `([^`]+)` \| ([^|]*(?:\\\|[^|]*)*) \| (yes|no) \|", re.M)


def schema_fields(node: dict, prefix: str = "") -> dict[str, bool]:
    """Field path -> required, for every property, nested mapping and list of mappings."""
    fields: dict[str, bool] = {}
    required = set(node.get("required", []))
    for name, sub in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        fields[path] = name in required
        if "properties" in sub:
            fields.update(schema_fields(sub, path + "."))
        items = sub.get("items", {})
        if isinstance(items, dict) and "properties" in items:
            fields.update(schema_fields(items, path + "[]."))
        extra = sub.get("additionalProperties")
        if isinstance(extra, dict):
            fields[path + ".<rule-id>"] = False
    return fields


def sections() -> dict[str, str]:
    """Text of each `## ` section of the reference, by heading."""
    parts = re.split(r"^## ", REFERENCE.read_text("utf-8"), flags=re.M)[1:]
    return {part.split("\n", 1)[0]: part for part in parts}


def table_fields(text: str) -> dict[str, bool]:
    return {match.group(1): match.group(3) == "yes" for match in ROW.finditer(text)}


def load(kind: str) -> dict:
    return json.loads((ROOT / "schema" / f"{kind}.schema.json").read_text("utf-8"))


KINDS = sorted(p.name.removesuffix(".schema.json") for p in (ROOT / "schema").glob("*.schema.json"))


def test_every_schema_has_a_section():
    documented = [m.group(1) for m in SCHEMA_LINE.finditer(REFERENCE.read_text("utf-8"))]
    assert sorted(documented) == KINDS
    assert len(KINDS) == 13


@pytest.mark.parametrize("kind", KINDS)
def test_field_table_matches_schema(kind):
    found = [text for text in sections().values() if (m := SCHEMA_LINE.search(text)) and m.group(1) == kind]
    assert len(found) == 1, f"expected one section for {kind}"
    documented = table_fields(found[0])
    expected = schema_fields(load(kind))
    assert expected, kind
    assert sorted(documented) == sorted(expected), f"{kind}: fields differ"
    wrong = {path for path in expected if documented[path] != expected[path]}
    assert not wrong, f"{kind}: 'required' differs for {sorted(wrong)}"


def test_evidence_item_table_matches_schema():
    documented = table_fields(sections()["Evidence items"])
    expected = schema_fields(load("evidence")["$defs"]["evidenceItem"])
    assert documented == expected


def test_the_table_parser_sees_every_row():
    """A row the pattern cannot read would drop out of both checks above unnoticed."""
    text = REFERENCE.read_text("utf-8")
    rows = [line for line in text.splitlines() if re.match(r"^\| `.*\| (yes|no) \|", line)]
    assert len(rows) == len(ROW.findall(text)) > 100


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_documentation_stands_alone(document):
    text = document.read_text("utf-8")
    for outside in ("../shared", "/work/", "SPEC.md"):
        assert outside not in text, f"{document.name} points outside the product: {outside}"
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = (document.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT), f"{document.name}: {target} leaves the project"
        assert path.exists(), f"{document.name}: {target} does not exist"


def layout_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How the code is laid out", 1)[1]
    return section.split("```", 2)[1]


def test_layout_names_every_source_folder_and_no_other():
    """README's "How the code is laid out" against the tree: every module under
    Sources/ and every folder inside one, and nothing that is not there."""
    block = layout_block()
    named: set[str] = set()
    module = None
    for line in block.splitlines():
        if line.startswith("Sources/"):
            modules = []  # "Sources/CCmarkGFM, CGit2, CYAML the C libraries…" names three
            for word in line.removeprefix("Sources/").split():
                modules.append(word.rstrip(","))
                if not word.endswith(","):
                    break
            named.update(f"Sources/{name}" for name in modules)
            module = f"Sources/{modules[-1]}"
        elif re.match(r"^  [A-Za-z]+/ ", line) and module:
            named.add(f"{module}/{line.split()[0].rstrip('/')}")
        elif line and not line.startswith(" "):
            module = None
    actual = {f"Sources/{path.name}" for path in (ROOT / "Sources").iterdir() if path.is_dir()}
    for folder in list(actual):
        actual.update(
            f"{folder}/{sub.name}" for sub in (ROOT / folder).iterdir() if sub.is_dir() and any(sub.glob("*.swift")))
    # Subfolders of a module may also be named inline ("Formats/ (…) → Model/"); those count as named.
    for folder in actual - named:
        module, _, sub = folder.rpartition("/")
        if module in named and re.search(rf"(^|\s){re.escape(sub)}/", block):
            named.add(folder)
    assert named == actual, f"named but missing: {sorted(named - actual)}; not named: {sorted(actual - named)}"


def test_layout_names_every_top_level_folder():
    block = layout_block()
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    tracked = {path.split("/", 1)[0] for path in files.splitlines() if "/" in path}
    tracked = {name for name in tracked if not name.startswith(".") or name == ".ci"} - {"Sources"}
    missing = [name for name in sorted(tracked) if not re.search(rf"(^|[\s,]){re.escape(name)}/", block, re.M)]
    assert len(tracked) > 5 and not missing, f"top-level folders the layout does not name: {missing}"

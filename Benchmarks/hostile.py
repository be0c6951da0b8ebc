#!/usr/bin/env python3
"""Generate hostile review repositories: one huge file of one kind of finding each.

    python3 Benchmarks/hostile.py --out Benchmarks/work/hostile [--cases citations,autolinks]
    python3 Benchmarks/hostile.py --list

Each case is a copy of `examples/acme` (committed to git, as the check reads history)
with Alice's review (or her whole cycle folder) replaced by a file made to produce as
many diagnostics, or as much work, per byte as possible. Every file stays under the
8 MiB limit above which Evident does not parse a file, because the target is that any
file under it checks in bounded time and memory. Prints one line per case:
`<case> <repository> <file> <bytes>`. Standard library only; deterministic.

Cases (sizes are per file):
  citations     6.5 MB review, 300,000 `##` sections each citing an unknown id
  citations-3   the same in three files of one folder (review, self review, peer feedback)
  citations-8m  the same, filled to just under the 8 MiB limit (372,000 sections)
  autolinks     500,000 bare URLs matching no allowed_links pattern (6.5 MB)
  vague         600,000 one-line paragraphs of uncited praise (vague-language)
  evidence      an evidence log of 70,000 items, each with a disallowed link, a date
                outside the cycle and a duplicate id
  lsp-<N>k      a review of N thousand sections as above, for the language server
                (lsp-40k is 0.78 MB, lsp-52k is 1 MB, lsp-80k is 1.56 MB)
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "acme"
FOLDER = "cycles/2026-h2/alice"
LIMIT = 8 * 1024 * 1024

REVIEW_HEAD = """---
kind: review
person: alice
cycle: 2026-h2
reviewer: dana
level: eng-3
rating: meets
---
"""
SELF_HEAD = """---
kind: self-review
person: alice
cycle: 2026-h2
---
"""
PEER_HEAD = """---
kind: peer-feedback
person: alice
cycle: 2026-h2
author: ben
---
"""


def sections(count):
    """`count` sections, each a heading naming no dimension and a citation of no item."""
    return "".join(f"## s{i}\n[@u{i}]\n" for i in range(count))


def autolinks(count):
    """`count` bare URLs, ten to a line, in one paragraph: none matches allowed_links."""
    lines = []
    for start in range(0, count, 10):
        lines.append(" ".join("https://x.io" for _ in range(start, min(start + 10, count))))
    return "\n".join(lines) + "\n"


def vague(count):
    """`count` one-line paragraphs of praise without a citation."""
    return "".join("ninja work\n\n" for _ in range(count))


def evidence(count):
    """An evidence log of `count` items, each wrong in three ways."""
    items = "".join(
        f"  - id: dup\n    date: 2020-01-{1 + i % 28:02d}\n    type: pr\n    link: http://x.io/{i:x}\n"
        f"    summary: s\n    dimensions: [delivery]\n"
        for i in range(count))
    return f"---\nkind: evidence\nperson: alice\ncycle: 2026-h2\nitems:\n{items}---\n"


def lsp_case(thousands):
    return {f"{FOLDER}/review.md": REVIEW_HEAD + sections(thousands * 1000)}


CASES = {
    "citations": lambda: {f"{FOLDER}/review.md": REVIEW_HEAD + sections(300_000)},
    "citations-3": lambda: {
        f"{FOLDER}/review.md": REVIEW_HEAD + sections(300_000),
        f"{FOLDER}/self.md": SELF_HEAD + sections(300_000),
        f"{FOLDER}/peer-ben.md": PEER_HEAD + sections(300_000),
    },
    "citations-8m": lambda: {f"{FOLDER}/review.md": REVIEW_HEAD + sections(372_000)},
    "autolinks": lambda: {f"{FOLDER}/review.md": REVIEW_HEAD + autolinks(500_000)},
    "vague": lambda: {f"{FOLDER}/review.md": REVIEW_HEAD + vague(600_000)},
    "evidence": lambda: {f"{FOLDER}/evidence.md": evidence(70_000)},
    "lsp-40k": lambda: lsp_case(40),
    "lsp-52k": lambda: lsp_case(52),
    "lsp-80k": lambda: lsp_case(80),
    "lsp-300k": lambda: lsp_case(300),
}


def git(repository, *arguments):
    subprocess.run(
        ["git", "-c", "user.name=Hostile", "-c", "user.email=hostile@example.com", "-C", str(repository),
         *arguments], check=True, stdout=subprocess.DEVNULL)


def build(case, out):
    repository = out / case
    if repository.exists():
        shutil.rmtree(repository)
    shutil.copytree(EXAMPLE, repository)
    files = CASES[case]()
    for relative, text in files.items():
        data = text.encode("utf-8")
        if len(data) >= LIMIT:
            sys.exit(f"hostile.py: {case}: {relative} is {len(data)} bytes, over the 8 MiB limit")
        (repository / relative).write_bytes(data)
    git(repository, "init", "-q", "-b", "main")
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", f"hostile case {case}")
    for relative, text in files.items():
        print(case, repository, relative, len(text.encode("utf-8")))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "Benchmarks" / "work" / "hostile")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated case names")
    parser.add_argument("--list", action="store_true", help="list the case names and exit")
    args = parser.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for case in args.cases.split(","):
        if case not in CASES:
            sys.exit(f"hostile.py: unknown case '{case}' (try --list)")
        build(case, args.out.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())

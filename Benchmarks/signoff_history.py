#!/usr/bin/env python3
"""Append sign-off commits to a generated benchmark repository, fast.

    python3 Benchmarks/signoff_history.py --repo Benchmarks/work/people-10000 [--roles manager,skip-level]

For every review of the cycle and every role asked for, one empty sign-off commit by the
person holding that role, with Evident's trailers, written through `git fast-import`
(writing 20,000 commits one `git commit` at a time would take many minutes). The
commits approve the committed blob of each review, so `evident status` finds them
valid. Standard library only.
"""

import argparse
import re
import subprocess
import sys


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True)
    parser.add_argument("--roles", default="manager,skip-level")
    args = parser.parse_args()
    roles = args.roles.split(",")

    def git(*command: str) -> str:
        return subprocess.run(["git", "-C", args.repo, *command], check=True, capture_output=True, text=True).stdout

    people = {}
    current = None
    with open(f"{args.repo}/people.yaml", encoding="utf-8") as handle:
        for line in handle:
            match = re.match(r"  - id: (\S+)", line)
            if match:
                current = {"id": match.group(1)}
                people[current["id"]] = current
                continue
            match = re.match(r"    (name|email|manager): (.+)", line)
            if match and current is not None:
                current[match.group(1)] = match.group(2).strip().strip('"')
    blobs = {}
    for line in git("ls-tree", "-r", "HEAD", "cycles").splitlines():
        meta, path = line.split("\t", 1)
        if path.endswith("/review.md"):
            blobs[path] = meta.split()[2]
    head = git("rev-parse", "HEAD").strip()
    stream = []
    mark = 0
    timestamp = 1_797_000_000
    for path in sorted(blobs):
        person = people.get(path.split("/")[2])
        if person is None:
            continue
        chain = []
        manager = person.get("manager")
        while manager and manager in people and len(chain) < 2:
            chain.append(people[manager])
            manager = people[manager].get("manager")
        for role in roles:
            signer = {"manager": chain[0] if chain else None, "skip-level": chain[1] if len(chain) > 1 else None}.get(role)
            if signer is None:
                continue
            mark += 1
            timestamp += 1
            message = (
                f"Sign off {person['id']}'s 2026-h2 review as {role}\n\n"
                f"Evident-Signoff: {role}\nEvident-File: {path}\nEvident-Blob: {blobs[path]}\n"
                f"Evident-Rating: meets\nSigned-off-by: {signer['name']} <{signer['email']}>\n"
            ).encode()
            ident = f"{signer['name']} <{signer['email']}> {timestamp} +0000"
            stream.append(f"commit refs/heads/main\nmark :{mark}\ncommitter {ident}\n".encode())
            stream.append(f"data {len(message)}\n".encode() + message)
            stream.append(f"from {head if mark == 1 else ':' + str(mark - 1)}\n\n".encode())
    subprocess.run(["git", "-C", args.repo, "fast-import", "--quiet", "--force"], input=b"".join(stream), check=True)
    print(mark)
    return 0


if __name__ == "__main__":
    sys.exit(main())
